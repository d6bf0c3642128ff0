import { createResponse, newTag } from '../message/message-factory';
import { serialize } from '../message/serialize';
import type { TimerEntry, TimerTarget } from '../timer/timer-wheel';
import type { SipRequest, SipResponse } from '../message/sip-message';
import type { ServerTransaction } from '../transaction/transaction-layer';
import type { TransactionChannel } from '../transport/channel';
import type { SipLogger } from '../sip-logger';
import type { TransportProtocol } from '../message/flow';
import { headerPairs, type HeaderInput } from '../message/header-input';
import type { TimerWheel } from '../timer/timer-wheel';
import type { SrfRequest } from './srf-request';

/** How long an INVITE may stay without a final response before the stack answers 408 itself. */
export const UNANSWERED_INVITE_LIMIT_MS = 300_000;

const EMPTY_NAMES: ReadonlySet<string> = new Set();

const TRYING = 1;
const NO_ANSWER = 2;

/** What a response needs from the user agent core that made it (RFC 3261 §8.2.6, §13.3.1.4). */
export interface ResponseCore {
  readonly log: SipLogger;
  readonly wheel: TimerWheel;
  /** The Server product token (§20.35). */
  readonly userAgent: string;
  /** The Allow value for 2xx to INVITE and OPTIONS (§20.5). */
  readonly allowHeader: string;
  readonly counters: { response(method: string, status: number): void } | undefined;
  /** The Contact of dialog-creating responses on this transport (§12.1.1). */
  contactFor(protocol: TransportProtocol): string;
  traceOut(data: Buffer, callId: string): void;
  /** The response is final: a CANCEL can no longer stop its request (§9.2). */
  answered(res: SrfResponse): void;
  /** Retransmits a 2xx to INVITE until its ACK (§13.3.1.4). */
  retransmit2xxUntilAck(res: SrfResponse, data: Buffer): void;
}

export interface SendOptions {
  headers?: HeaderInput;
  /** Body (SDP as text); Content-Type defaults to application/sdp. */
  body?: string | Buffer;
  contentType?: string;
}

/**
 * The response side of a received request (drachtio-srf's `res`): `send(status, reason?, opts?)`
 * builds the response of RFC 3261 §8.2.6 (one To tag for all responses of the request, §8.2.6.2;
 * Contact on dialog-creating INVITE responses, §12.1.1; Server, §20.35) and passes it to the
 * server transaction. A 2xx to INVITE is then retransmitted until its ACK (§13.3.1.4).
 */
export class SrfResponse implements TimerTarget {
  /** Status of the last response sent; 0 before any. */
  status = 0;
  finalResponseSent = false;
  /** The To tag of this request's responses, chosen once. */
  readonly toTag: string;
  /** Headers the stack adds to the final response the application sends (Session-Expires, ...). */
  defaultHeaders: ReadonlyArray<readonly [string, string]> = [];
  /** Told once the final response is sent, with its status and body (the dialog updates its SDP). */
  onFinal: ((status: number, body: string) => void) | undefined;
  private tryingTimer: TimerEntry | null = null;

  constructor(
    private readonly core: ResponseCore,
    readonly req: SrfRequest,
    private readonly tx: ServerTransaction,
    /** Where the responses go; the 2xx retransmission reuses it. */
    readonly channel: TransactionChannel,
  ) {
    this.toTag = existingToTag(req.msg) ?? newTag();
  }

  /**
   * Sends 100 Trying after `ms` unless a response was sent by then (§17.2.1); an INVITE the
   * application then leaves unanswered for {@link UNANSWERED_INVITE_LIMIT_MS} gets 408, so neither
   * the caller nor the server transaction waits forever.
   */
  sendTryingAfter(ms: number): void {
    this.tryingTimer = this.core.wheel.schedule(this, TRYING, ms);
  }

  onTimer(kind: number): void {
    this.tryingTimer = null;
    if (kind === TRYING) {
      if (this.status === 0) this.send(100);
      if (!this.finalResponseSent)
        this.tryingTimer = this.core.wheel.schedule(this, NO_ANSWER, UNANSWERED_INVITE_LIMIT_MS);
    } else if (!this.finalResponseSent) {
      this.core.log.info({ callId: this.req.msg.headers.get('call-id') }, 'call: INVITE left unanswered, 408 sent');
      this.send(408, 'Request Timeout');
    }
  }

  send(status: number, reasonOrOptions?: string | SendOptions, options?: SendOptions): void {
    const reason = typeof reasonOrOptions === 'string' ? reasonOrOptions : undefined;
    const opts = (typeof reasonOrOptions === 'object' ? reasonOrOptions : options) ?? {};
    if (this.finalResponseSent) {
      this.core.log.warn(
        { callId: this.req.callId, status, sent: this.status },
        'sip response after the final one ignored',
      );
      return;
    }
    const req = this.req.msg;
    const headers: Array<readonly [string, string]> = [];
    const extra = headerPairs(opts.headers);
    // Names lower-cased once: the checks below ask up to six times per response.
    const given = extra.length === 0 ? EMPTY_NAMES : new Set(extra.map(([n]) => n.toLowerCase()));
    const has = (name: string): boolean => given.has(name);
    if (req.method === 'INVITE' && status > 100 && status < 300 && !has('contact')) {
      headers.push(['Contact', this.core.contactFor(this.req.flow.protocol)]);
    }
    if (status >= 200 && status < 300 && (req.method === 'INVITE' || req.method === 'OPTIONS') && !has('allow')) {
      headers.push(['Allow', this.core.allowHeader]);
    }
    if (!has('server')) headers.push(['Server', this.core.userAgent]);
    if (status >= 200) for (const h of this.defaultHeaders) if (!has(h[0].toLowerCase())) headers.push(h);
    headers.push(...extra);
    const body = opts.body;
    const hasBody = body !== undefined && body.length > 0;
    const msg = createResponse(req, status, reason, {
      toTag: this.toTag,
      headers,
      body: hasBody ? body : undefined,
      contentType: hasBody && !has('content-type') ? (opts.contentType ?? 'application/sdp') : undefined,
    });
    this.sendPrepared(msg);
  }

  /** Sends a response built elsewhere (the core's OPTIONS answer and rejections). */
  sendPrepared(msg: SipResponse): void {
    if (this.finalResponseSent) return;
    const status = msg.status;
    if (this.tryingTimer) {
      this.core.wheel.cancel(this.tryingTimer);
      this.tryingTimer = null;
    }
    const data = serialize(msg);
    this.status = status;
    this.core.counters?.response(this.req.method, status);
    if (status >= 200) this.finalResponseSent = true;
    this.core.traceOut(data, this.req.msg.headers.get('call-id') ?? '');
    if (!this.tx.respond(status, data)) return;
    if (status >= 200) {
      this.core.answered(this);
      this.onFinal?.(status, msg.body.toString('utf8'));
    }
    if (this.req.method === 'INVITE' && status >= 200 && status < 300) this.core.retransmit2xxUntilAck(this, data);
  }
}

/** The request's To tag; undefined also when To does not parse (the request is being rejected then). */
function existingToTag(req: SipRequest): string | undefined {
  try {
    return req.toTag;
  } catch {
    return undefined;
  }
}
