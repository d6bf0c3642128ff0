import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { SipLogger } from '../sip-logger';
import { parseMessage } from '../message/parse';
import { rejectionForParseFailure, validateResponse, type Rejection } from '../message/validate';
import { SipSyntaxError } from '../message/syntax';
import { createRejectionResponse } from '../message/rejection-response';
import { serialize } from '../message/serialize';
import type { SipRequest, SipResponse } from '../message/sip-message';
import { SipStreamFramer } from '../message/stream-framer';
import type { Uri } from '../message/uri';
import { Via } from '../message/via';
import type { TransactionChannel, TransportErrorSink } from './channel';
import {
  flowDestination,
  isReliable,
  viaTransport,
  type Destination,
  type Flow,
  type TransportProtocol,
} from '../message/flow';
import type { ListenSpec } from './listen-spec';
import { hostPort } from '../message/host';
import type { StreamConnection } from './stream-connection';
import { StreamTransport, type TlsCredentials } from './stream-transport';
import { UdpTransport } from './udp-transport';

/** §18.1.1: a request over 1300 bytes with unknown path MTU goes over a congestion-controlled transport. */
export const UDP_MTU_LIMIT = 1300;

export interface TransportLayerOptions {
  readonly listen: readonly ListenSpec[];
  /** The host written into Via sent-by and Contact; defaults to the bound address (127.0.0.1 for a wildcard). */
  readonly advertisedHost?: string;
  /** Largest message accepted on any transport; larger ones are dropped with a log line. */
  readonly maxMessageBytes: number;
  readonly idleTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly tls?: TlsCredentials;
  readonly log: SipLogger;
}

/** The layer above: the user agent core. */
export interface TransportUser {
  receiveRequest(req: SipRequest, flow: Flow): void;
  receiveResponse(res: SipResponse, flow: Flow): void;
}

/**
 * A transaction's way out, fixed once: a server transaction's response route (§18.2.2) or a client
 * transaction's request destination. One small object per transaction, no closure per send.
 */
class DestinationChannel implements TransactionChannel {
  readonly reliable: boolean;
  constructor(
    private readonly layer: TransportLayer,
    readonly destination: Destination,
  ) {
    this.reliable = isReliable(destination.protocol);
  }

  send(data: Buffer, sink: TransportErrorSink): void {
    this.layer.send(data, this.destination, sink);
  }
}

/**
 * The transport layer of RFC 3261 §18: owns the UDP, TCP and TLS listeners, parses what they
 * read, stamps `received`/`rport` on the top Via of requests (§18.2.1, RFC 3581 §4), answers
 * unparsable requests with the parser's 4xx/5xx when a response is possible, routes responses
 * by the top Via (§18.2.2, RFC 3581 §4) and moves large requests from UDP to TCP (§18.1.1).
 * Nothing here throws into a socket handler.
 */
export class TransportLayer {
  private udp: UdpTransport | undefined;
  private readonly streams = new Map<'tcp' | 'tls', StreamTransport>();
  private user: TransportUser | undefined;
  private readonly sentBy = new Map<TransportProtocol, { host: string; port: number }>();
  private readonly sentBySet = new Set<string>();

  constructor(private readonly opts: TransportLayerOptions) {
    const inbound = (data: Buffer, flow: Flow): void => this.receive(data, flow);
    for (const spec of opts.listen) {
      if (spec.protocol === 'udp') {
        this.udp = new UdpTransport(spec.host, spec.port, opts.maxMessageBytes, opts.log, inbound);
      } else {
        if (spec.protocol === 'tls' && !opts.tls) throw new Error('sip: a TLS listener needs a certificate and key');
        const t = new StreamTransport(
          spec.protocol,
          {
            host: spec.host,
            port: spec.port,
            idleTimeoutMs: opts.idleTimeoutMs,
            connectTimeoutMs: opts.connectTimeoutMs,
            newFramer: () => new SipStreamFramer(opts.maxMessageBytes),
            log: opts.log,
            tls: spec.protocol === 'tls' ? opts.tls : undefined,
          },
          inbound,
        );
        this.streams.set(spec.protocol, t);
      }
    }
  }

  /** Binds every listener; resolves once all are up. */
  async start(user: TransportUser): Promise<void> {
    this.user = user;
    for (const spec of this.opts.listen) {
      const t = spec.protocol === 'udp' ? this.udp! : this.streams.get(spec.protocol)!;
      const port = await t.listen();
      const bound = t.localAddress;
      const host = this.opts.advertisedHost ?? (bound === '0.0.0.0' || bound === '::' ? '127.0.0.1' : bound);
      this.sentBy.set(spec.protocol, { host, port });
    }
  }

  async stop(): Promise<void> {
    await Promise.all([this.udp?.close(), ...[...this.streams.values()].map((s) => s.close())]);
  }

  /** Every `host:port` this stack writes as Via sent-by (lower-case), for loop detection. */
  get sentBys(): ReadonlySet<string> {
    if (this.sentBySet.size === 0) {
      for (const a of this.sentBy.values()) this.sentBySet.add(hostPort(a.host, a.port).toLowerCase());
    }
    return this.sentBySet;
  }

  /** Whether a protocol is listening. */
  has(protocol: TransportProtocol): boolean {
    return this.sentBy.has(protocol);
  }

  /** The `host`/`port` this stack advertises for a protocol (Via sent-by, Contact). */
  localAddress(protocol: TransportProtocol): { host: string; port: number } {
    const a = this.sentBy.get(protocol) ?? this.sentBy.values().next().value;
    if (!a) throw new Error('sip transport layer not started');
    return a;
  }

  /** A channel to a fixed destination for a transaction. */
  channel(destination: Destination): TransactionChannel {
    return new DestinationChannel(this, destination);
  }

  /**
   * Where responses to `req` go (§18.2.2 with RFC 3581 §4): over the connection it came in on if
   * reliable; else to `received`:`rport` when rport was asked for, else to `received` (or sent-by
   * host) at the sent-by port.
   */
  responseDestination(req: SipRequest, flow: Flow): Destination {
    const via = req.via; // stamped on receipt, so known to parse
    if (flow.protocol !== 'udp') {
      const port = via.port ?? (flow.protocol === 'tls' ? 5061 : 5060);
      return { protocol: flow.protocol, host: via.received ?? flow.remoteAddress, port, connection: flow.connection };
    }
    const rport = via.rport;
    if (typeof rport === 'number') return { protocol: 'udp', host: via.received ?? flow.remoteAddress, port: rport };
    return { protocol: 'udp', host: via.received ?? via.host, port: via.port ?? 5060 };
  }

  /**
   * Resolves a URI to a destination (§18.1.1; RFC 3263 without NAPTR/SRV: the transport parameter,
   * else UDP, TLS for sips; a host name through the system resolver).
   */
  async resolve(uri: Uri): Promise<Destination> {
    const t = uri.transport?.toLowerCase();
    const protocol: TransportProtocol = uri.scheme === 'sips' || t === 'tls' ? 'tls' : t === 'tcp' ? 'tcp' : 'udp';
    const port = uri.port ?? (protocol === 'tls' ? 5061 : 5060);
    const host = isIP(uri.host) ? uri.host : (await lookup(uri.host)).address;
    return { protocol, host, port };
  }

  /**
   * Puts this stack's Via on top of a request (sent-by, branch, `rport` asked for) and serializes
   * it; a request too large for UDP goes over TCP instead (§18.1.1), with the Via saying so.
   */
  prepareRequest(
    req: SipRequest,
    destination: Destination,
    branch: string,
  ): { data: Buffer; destination: Destination } {
    let dest = destination;
    const write = (): Buffer => {
      const local = this.localAddress(dest.protocol);
      const via = new Via({ transport: viaTransport(dest.protocol), host: local.host, port: local.port, branch });
      via.rport = null;
      req.headers.prepend('Via', via.toString());
      return serialize(req);
    };
    let data = write();
    if (dest.protocol === 'udp' && data.length > UDP_MTU_LIMIT && this.has('tcp')) {
      req.headers.removeFirst('Via');
      dest = { protocol: 'tcp', host: dest.host, port: dest.port };
      data = write();
    }
    return { data, destination: dest };
  }

  /** Sends bytes to a destination; errors go to `sink`, never thrown. */
  send(data: Buffer, dest: Destination, sink?: TransportErrorSink): void {
    const onError = sink ? (): void => sink.transportError() : undefined;
    if (dest.protocol === 'udp') {
      if (!this.udp) return onError?.();
      this.udp.send(data, dest.host, dest.port, onError);
      return;
    }
    if (dest.connection?.write(data)) return;
    const stream = this.streams.get(dest.protocol);
    if (!stream) return onError?.();
    stream.send(data, dest.host, dest.port, onError);
  }

  /** Open TCP and TLS connections, both directions. */
  get connectionCount(): number {
    let n = 0;
    for (const s of this.streams.values()) n += s.connectionCount;
    return n;
  }

  /** The open connection to a peer over TCP or TLS, for in-dialog reuse. */
  openConnection(protocol: TransportProtocol, host: string, port: number): StreamConnection | undefined {
    return protocol === 'udp' ? undefined : this.streams.get(protocol)?.connectionTo(host, port);
  }

  private receive(data: Buffer, flow: Flow): void {
    const parsed = parseMessage(data, { maxMessageSize: this.opts.maxMessageBytes });
    if (!parsed.ok) {
      const answerable = rejectionForParseFailure(parsed);
      if (answerable) this.rejectStateless(answerable.request, answerable.rejection, flow);
      else this.drop(flow, parsed.error.reason);
      return;
    }
    const msg = parsed.value;
    if (msg.isRequest()) {
      try {
        this.stampVia(msg, flow);
      } catch (e) {
        const reason = e instanceof SipSyntaxError ? e.reason : 'Bad Via';
        if (msg.method === 'ACK')
          this.drop(flow, reason); // §17.1.1.3: an ACK is never answered
        else this.rejectStateless(msg, { status: 400, reason }, flow);
        return;
      }
      this.user?.receiveRequest(msg, flow);
    } else {
      const res = msg as SipResponse;
      const bad = validateResponse(res);
      if (bad) this.drop(flow, bad.reason);
      else this.user?.receiveResponse(res, flow);
    }
  }

  private drop(flow: Flow, reason: string): void {
    this.opts.log.debug(
      { from: hostPort(flow.remoteAddress, flow.remotePort), protocol: flow.protocol, err: reason },
      'sip unusable message dropped',
    );
  }

  /**
   * §18.2.1: "the server transport MUST add a received parameter" when sent-by's host differs from
   * the packet source; RFC 3581 §4: an empty `rport` is filled with the source port, and then
   * `received` is added even when the hosts match.
   */
  private stampVia(req: SipRequest, flow: Flow): void {
    const via = req.via;
    let changed = false;
    if (via.rport === null) {
      via.rport = flow.remotePort;
      via.received = flow.remoteAddress;
      changed = true;
    } else if (via.host !== flow.remoteAddress) {
      via.received = flow.remoteAddress;
      changed = true;
    }
    if (changed) req.setTopVia(via);
  }

  /**
   * Answers a request statelessly (§8.2, §21.4; no transaction is made): one that cannot be parsed
   * or routed, with the status the message layer or the core chose.
   */
  rejectStateless(req: SipRequest, rejection: Rejection, flow: Flow): void {
    this.opts.log.info(
      {
        from: hostPort(flow.remoteAddress, flow.remotePort),
        protocol: flow.protocol,
        status: rejection.status,
        err: rejection.reason,
        callId: safeCallId(req),
      },
      'sip bad request rejected',
    );
    this.answerStateless(req, rejection, flow);
  }

  /**
   * Sends a stateless answer without a log line: the cheap answer under overload (a request
   * refused by a rate limit), where a line per request would cost more than the answer itself.
   */
  answerStateless(req: SipRequest, rejection: Rejection, flow: Flow): void {
    try {
      const res = createRejectionResponse(req, rejection);
      // Back to the packet's source: the Via of a bad request is not to be trusted with routing.
      this.send(serialize(res), flowDestination(flow));
    } catch (e) {
      this.opts.log.debug(
        { from: hostPort(flow.remoteAddress, flow.remotePort), err: (e as Error).message },
        'sip bad request could not be answered',
      );
    }
  }
}

function safeCallId(req: SipRequest): string | undefined {
  try {
    return req.callId;
  } catch {
    return undefined;
  }
}
