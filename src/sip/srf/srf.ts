import type { SipLogger } from '../sip-logger';
import type { SipCounters } from '../core/sip-counters';
import pino from 'pino';
import { serverHeaderValue } from '../message/server-identity';
import type { Dialog } from '../dialog/dialog';
import { DEFAULT_SESSION_TIMER, type SessionTimerConfig } from '../dialog/session-timer-negotiation';
import { createRequest, newCallId, newTag } from '../message/message-factory';
import { uriHost } from '../message/host';
import { NameAddr } from '../message/name-addr';
import { DEFAULT_MAX_MESSAGE_SIZE } from '../message/parse';
import type { SipResponse } from '../message/sip-message';
import { readUri } from '../message/uri';
import { TimerWheel } from '../timer/timer-wheel';
import { TransactionLayer } from '../transaction/transaction-layer';
import { DEFAULT_TRANSACTION_TIMERS, type TransactionTimerConfig } from '../transaction/transaction-timers';
import type { ListenSpec } from '../transport/listen-spec';
import type { TransportProtocol } from '../message/flow';
import type { TlsCredentials } from '../transport/stream-transport';
import { TransportLayer } from '../transport/transport-layer';
import { createB2BUA, type B2buaDialogs, type B2buaOptions } from './b2bua';
import type { SrfRequest } from '../dialog/srf-request';
import { headerPairs, type HeaderInput } from '../message/header-input';
import { type SrfResponse } from '../dialog/srf-response';
import { createUAC, type UacCallbacks, type UacOptions } from './uac';
import { createUAS, type UasOptions } from './uas';
import { UserAgentCore, type RequestHandler } from '../core/user-agent-core';
import { InviteRateLimiter, type InviteRateLimits } from '../core/invite-rate-limiter';

export interface SrfOptions {
  /** Listeners; default UDP and TCP on 127.0.0.1:5060. */
  listen?: readonly ListenSpec[];
  /** Host written in Via and Contact (default: the bound address). */
  advertisedHost?: string;
  /** Largest SIP message accepted, bytes (default 65,535). */
  maxMessageBytes?: number;
  /** Certificate and key for TLS listeners and outgoing TLS. */
  tls?: TlsCredentials;
  /** Idle TCP/TLS connections are closed after this long (default 10 min). */
  idleTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** T1, T2, T4, D (RFC 3261 Table 4). */
  timers?: Partial<TransactionTimerConfig>;
  /** RFC 4028 session timers. */
  sessionTimer?: Partial<SessionTimerConfig>;
  /** Where the stack logs (default: pino at info); the application passes its own. */
  log?: SipLogger;
  /** Server / User-Agent value (default `confgate/<version>`). */
  userAgent?: string;
  /** Counts requests received and responses sent (Prometheus metrics). */
  counters?: SipCounters;
  /** Per-source limit on new INVITEs, answered 503 statelessly past it; absent: no limit. */
  inviteRate?: InviteRateLimits;
}

/** Counters for tests, metrics and the memory benchmark. */
export interface SrfStats {
  serverTransactions: number;
  clientTransactions: number;
  dialogs: number;
  /** UAS dialogs whose 2xx is still being retransmitted for want of an ACK (§13.3.1.4). */
  dialogsAwaitingAck: number;
  timers: number;
  /** Open TCP/TLS connections. */
  connections: number;
}

/** A request outside any dialog (OPTIONS ping, MESSAGE ...). */
export interface OutOfDialogRequest {
  method: string;
  headers?: HeaderInput;
  body?: string;
  contentType?: string;
  /** Send via this URI instead of resolving the Request-URI. */
  proxy?: string;
}

/**
 * confgate's SIP signalling stack with a drachtio-srf-shaped API:
 *
 *     const srf = new Srf({ listen: [{ protocol: 'udp', host: '127.0.0.1', port: 5060 }] });
 *     srf.invite(async (req, res) => {
 *       const dialog = await srf.createUAS(req, res, { localSdp });
 *       dialog.on('destroy', () => ...);
 *     });
 *     await srf.listen();
 *
 * Layers: transports (RFC 3261 §18) → transactions (§17, RFC 6026) → user agent core (§8, §12)
 * → dialogs; one timer wheel drives every timer.
 */
export class Srf {
  readonly log: SipLogger;
  private readonly wheel: TimerWheel;
  private readonly transactions: TransactionLayer;
  private readonly transport: TransportLayer;
  private readonly core: UserAgentCore;
  private readonly sessionTimer: SessionTimerConfig;
  private readonly handlers = new Map<string, RequestHandler>();

  constructor(opts: SrfOptions = {}) {
    this.log = opts.log ?? pino({ level: 'info' });
    const timers = { ...DEFAULT_TRANSACTION_TIMERS, ...opts.timers };
    this.sessionTimer = { ...DEFAULT_SESSION_TIMER, ...opts.sessionTimer };
    this.wheel = new TimerWheel(10, 1024, (err) => this.log.error({ err }, 'sip timer handler threw'));
    this.transactions = new TransactionLayer(this.wheel, timers);
    this.transport = new TransportLayer({
      listen: opts.listen ?? [
        { protocol: 'udp', host: '127.0.0.1', port: 5060 },
        { protocol: 'tcp', host: '127.0.0.1', port: 5060 },
      ],
      advertisedHost: opts.advertisedHost,
      maxMessageBytes: opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_SIZE,
      idleTimeoutMs: opts.idleTimeoutMs ?? 600_000,
      connectTimeoutMs: opts.connectTimeoutMs ?? 5_000,
      tls: opts.tls,
      log: this.log,
    });
    this.core = new UserAgentCore({
      log: this.log,
      wheel: this.wheel,
      timers,
      transport: this.transport,
      transactions: this.transactions,
      userAgent: opts.userAgent ?? serverHeaderValue(),
      counters: opts.counters,
      inviteLimiter: opts.inviteRate && new InviteRateLimiter(opts.inviteRate, Date.now),
    });
    this.core.onRequest((req, res) => this.route(req, res));
  }

  /** Binds every listener. */
  async listen(): Promise<void> {
    await this.transport.start(this.core);
  }

  /** Stops listening and drops every transaction, dialog and timer (no BYEs are sent). */
  async close(): Promise<void> {
    this.core.dispose();
    this.transactions.dispose();
    this.wheel.dispose();
    await this.transport.stop();
  }

  /** The advertised address of a listener (the bound port when configured as 0). */
  address(protocol: TransportProtocol): { host: string; port: number } {
    return this.transport.localAddress(protocol);
  }

  /** Handles new INVITEs (drachtio-srf's `srf.invite`). */
  invite(handler: RequestHandler): this {
    return this.handle('INVITE', handler);
  }

  /** Handles OPTIONS outside dialogs; without a handler they get the 200 of RFC 3261 §11.2. */
  options(handler: RequestHandler): this {
    return this.handle('OPTIONS', handler);
  }

  /** Answers an OPTIONS with the 200 of RFC 3261 §11.2, as when no handler is set (for a handler that answers 200 only sometimes). */
  answerOptions(res: SrfResponse): void {
    this.core.answerOptions(res);
  }

  /** Handles new requests of any other method outside dialogs. */
  handle(method: string, handler: RequestHandler): this {
    this.handlers.set(method.toUpperCase(), handler);
    return this;
  }

  createUAS(req: SrfRequest, res: SrfResponse, opts: UasOptions = {}): Promise<Dialog> {
    return createUAS(this.core, this.sessionTimer, req, res, opts);
  }

  createUAC(uri: string, opts: UacOptions = {}, callbacks: UacCallbacks = {}): Promise<Dialog> {
    return createUAC(this.core, this.sessionTimer, uri, opts, callbacks);
  }

  createB2BUA(req: SrfRequest, res: SrfResponse, uri: string, opts: B2buaOptions = {}): Promise<B2buaDialogs> {
    return createB2BUA(this, req, res, uri, opts);
  }

  /** Sends a request outside any dialog (an OPTIONS ping to an MCU) and resolves with the final response. */
  async request(uri: string, opts: OutOfDialogRequest): Promise<SipResponse> {
    const target = readUri(uri);
    const destination = await this.transport.resolve(opts.proxy ? readUri(opts.proxy) : target);
    const local = this.transport.localAddress(destination.protocol);
    const from = new NameAddr(readUri(`sip:confgate@${uriHost(local.host)}`));
    from.tag = newTag();
    const body = opts.body && opts.body.length > 0 ? opts.body : undefined;
    const req = createRequest({
      method: opts.method.toUpperCase(),
      uri: target,
      from,
      to: new NameAddr(target.clone()),
      callId: newCallId(),
      cseq: 1,
      headers: headerPairs(opts.headers),
      body,
      contentType: body ? (opts.contentType ?? 'application/sdp') : undefined,
    });
    return this.core.sendRequest(req, destination).response;
  }

  get stats(): SrfStats {
    return {
      serverTransactions: this.transactions.serverCount,
      clientTransactions: this.transactions.clientCount,
      dialogs: this.core.dialogs.size,
      dialogsAwaitingAck: [...this.core.dialogs.values()].filter((d) => d.awaitingAck !== undefined).length,
      timers: this.wheel.size,
      connections: this.transport.connectionCount,
    };
  }

  private route(req: SrfRequest, res: SrfResponse): void {
    const handler = this.handlers.get(req.method);
    if (handler) {
      const failed = (err: unknown): void => {
        this.log.error({ err, callId: req.callId }, 'sip request handler failed');
        if (!res.finalResponseSent) res.send(500);
      };
      try {
        const done = handler(req, res);
        if (done instanceof Promise) done.catch(failed);
      } catch (err) {
        failed(err);
      }
      return;
    }
    if (req.method === 'OPTIONS') this.core.answerOptions(res);
    else res.send(req.method === 'INVITE' ? 480 : 405, { headers: { Allow: this.core.allowHeader } });
  }
}
