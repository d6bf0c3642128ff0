import { EventEmitter } from 'node:events';
import { createRequest } from '../message/message-factory';
import { readNameAddr, type NameAddr } from '../message/name-addr';
import type { SipRequest, SipResponse } from '../message/sip-message';
import { readUri } from '../message/uri';
import type { SipLogger } from '../sip-logger';
import type { Destination } from '../message/flow';
import { headerPairs, type HeaderInput } from '../message/header-input';
import { SipError } from '../message/sip-error';
import type { TimerWheel } from '../timer/timer-wheel';
import type { RequestHooks, SentRequest } from '../transaction/sent-request';
import type { TransportLayer } from '../transport/transport-layer';
import { AckMemory } from './ack-memory';
import { PASSED_THROUGH, type DialogEvents, type DialogSignals } from './dialog-events';
import { SessionTimer, type SessionTimerOwner } from './session-timer';
import {
  negotiateAsUas,
  sessionFromUasAnswer,
  uacRequestHeaders,
  type SessionInterval,
  type SessionTimerConfig,
} from './session-timer-negotiation';
import type { SrfRequest } from './srf-request';
import type { SrfResponse } from './srf-response';

/** What a dialog needs from the user agent core that holds it (RFC 3261 §12, §13.2.2.4, §13.3.1.4). */
export interface DialogCore {
  readonly log: SipLogger;
  readonly wheel: TimerWheel;
  readonly transport: Pick<TransportLayer, 'send' | 'resolve' | 'openConnection'>;
  /** The Allow value of a 405 (§20.5). */
  readonly allowHeader: string;
  /** Sends a request through a new client transaction (§12.2.1.1). */
  sendRequest(req: SipRequest, destination: Destination, hooks: RequestHooks): SentRequest;
  /** Sends an ACK for a 2xx outside any transaction (§13.2.2.4). */
  sendAck(ack: SipRequest, destination: Destination): { data: Buffer; destination: Destination };
  /** Stops re-sending our 2xx whose ACK will not come (§13.3.1.4). */
  stopAckWait(callId: string, localTag: string, cseq: number): void;
  /** The dialog ended: in-dialog requests no longer find it (§12.3). */
  forget(dialog: Dialog): void;
}

/** How a dialog came to be, and its state at creation (RFC 3261 §12.1.1 UAS, §12.1.2 UAC). */
export interface DialogInit {
  readonly type: 'uas' | 'uac';
  readonly callId: string;
  /** Our URI (From for a UAC, To for a UAS) with our tag. */
  readonly local: NameAddr;
  /** Their URI with their tag. */
  readonly remote: NameAddr;
  readonly localContact: string;
  /** The remote target: the peer's Contact URI (§12.1.1). */
  readonly remoteTarget: string;
  /** Route set in the order requests carry it. */
  readonly routeSet: readonly string[];
  readonly localSeq: number;
  readonly remoteSeq: number | undefined;
  readonly localSdp: string;
  readonly remoteSdp: string;
  /** The flow the dialog was created on; on TCP/TLS in-dialog requests go back over its connection. */
  readonly flow?: Destination;
  readonly sessionTimer: SessionTimerConfig;
  readonly session?: SessionInterval;
  /** Where a UAC's ACKs are kept, when the INVITE's transaction already holds it (createUAC). */
  readonly acks?: AckMemory;
}

/** A request inside the dialog, as `Dialog.request` takes it. */
export interface DialogRequestOptions {
  method: string;
  headers?: HeaderInput;
  body?: string;
  contentType?: string;
}

/**
 * A SIP dialog (RFC 3261 §12) as drachtio-srf exposes it: the events of {@link DialogEvents}
 * (`destroy`, `modify`, `update`, `refresh`, `info`, ...), and `request({ method, headers, body })`,
 * `modify(sdp)`, `destroy()`.
 */
export class Dialog extends EventEmitter<DialogEvents> implements SessionTimerOwner {
  readonly type: 'uas' | 'uac';
  readonly id: string;
  readonly sip: { readonly callId: string; readonly localTag: string; readonly remoteTag: string };
  readonly local: { uri: string; contact: string; sdp: string };
  readonly remote: { uri: string; contact: string; sdp: string };
  /** False once a BYE was sent or received. */
  connected = true;
  private localSeq: number;
  private remoteSeq: number | undefined;
  private remoteTarget: string;
  private readonly routeSet: readonly string[];
  private readonly localParty: NameAddr;
  private readonly remoteParty: NameAddr;
  private readonly flow: Destination | undefined;
  private readonly sessionConfig: SessionTimerConfig;
  private readonly sessionTimer: SessionTimer;
  /** The ACKs we sent for 2xx responses (§13.2.2.4). */
  readonly acks: AckMemory;
  private reinviteInProgress = false;
  /** CSeq of the INVITE whose 2xx we sent and whose ACK has not come (UAS). */
  awaitingAck: number | undefined;
  /** @internal The stack's ACK signals, off the application's events. */
  readonly signals = new EventEmitter<DialogSignals>();

  constructor(
    private readonly core: DialogCore,
    init: DialogInit,
  ) {
    super();
    this.type = init.type;
    const localTag = init.local.tag ?? '';
    const remoteTag = init.remote.tag ?? '';
    this.sip = { callId: init.callId, localTag, remoteTag };
    this.id = `${init.callId};from-tag=${init.type === 'uac' ? localTag : remoteTag};to-tag=${init.type === 'uac' ? remoteTag : localTag}`;
    this.localParty = init.local;
    this.remoteParty = init.remote;
    this.local = { uri: init.local.uri.toString(), contact: init.localContact, sdp: init.localSdp };
    this.remote = { uri: init.remote.uri.toString(), contact: init.remoteTarget, sdp: init.remoteSdp };
    this.localSeq = init.localSeq;
    this.remoteSeq = init.remoteSeq;
    this.remoteTarget = init.remoteTarget;
    this.routeSet = init.routeSet;
    this.flow = init.flow;
    this.sessionConfig = init.sessionTimer;
    this.sessionTimer = new SessionTimer(core.wheel, this);
    this.acks = init.acks ?? new AckMemory(core.transport);
    if (init.session) this.sessionTimer.start(init.session);
  }

  /** The key the core finds this dialog by. */
  get key(): string {
    return `${this.sip.callId}|${this.sip.localTag}|${this.sip.remoteTag}`;
  }

  /** The agreed session interval (RFC 4028), if any. */
  get session(): SessionInterval | undefined {
    return this.sessionTimer.session;
  }

  // ---- requests from the far end ---------------------------------------------------------------

  /** An in-dialog request matched to this dialog by the core (§12.2.2). */
  receiveRequest(req: SrfRequest, res: SrfResponse): void {
    const msg = req.msg;
    const seq = msg.cseq.seq;
    // §12.2.2: "If the remote sequence number ... is lower than the remote sequence number, the
    // request is out of order and MUST be rejected with a 500".
    if (this.remoteSeq !== undefined && seq < this.remoteSeq) {
      res.send(500, 'Out of Order CSeq');
      return;
    }
    this.remoteSeq = seq;
    switch (msg.method) {
      case 'BYE':
        res.send(200);
        if (this.awaitingAck !== undefined) {
          // A BYE before the ACK (it crossed a lost ACK): the 2xx has arrived, stop re-sending it.
          this.core.stopAckWait(this.sip.callId, this.sip.localTag, this.awaitingAck);
          this.awaitingAck = undefined;
          this.signals.emit('no-ack', new SipError(487, 'Call ended before ACK'));
        }
        this.core.log.debug({ callId: this.sip.callId, dialog: this.type }, 'call: BYE received');
        this.ended();
        // After the current I/O callback: an ACK and a BYE read together (one TCP chunk) would
        // otherwise end the call before the application's `await createUAS` could listen.
        setImmediate(() => this.emit('destroy', req));
        return;
      case 'INVITE':
        return this.receiveOffer(req, res, 'modify');
      case 'UPDATE':
        return this.receiveOffer(req, res, 'update');
      default: {
        const event = PASSED_THROUGH.get(msg.method);
        if (event !== undefined && this.listenerCount(event) > 0) this.emit(event, req, res);
        else if (msg.method === 'REFER')
          res.send(405, 'Method Not Allowed', { headers: { Allow: this.core.allowHeader } });
        else res.send(200);
      }
    }
  }

  /**
   * A re-INVITE or UPDATE (RFC 3261 §14.2, RFC 3311): a target refresh, possibly a new offer,
   * possibly a session refresh (RFC 4028 §9). A new offer goes to the application when it listens
   * for `event`; otherwise it is answered with the current local SDP.
   */
  private receiveOffer(req: SrfRequest, res: SrfResponse, event: 'modify' | 'update'): void {
    const msg = req.msg;
    if (event === 'modify' && this.reinviteInProgress) {
      res.send(491, 'Request Pending'); // §14.2: glare
      return;
    }
    const decision = negotiateAsUas(msg, this.sessionConfig);
    if (decision.reject) {
      res.send(422, 'Session Interval Too Small', { headers: { 'Min-SE': String(decision.minSE) } });
      return;
    }
    const contact = msg.contacts[0];
    if (contact) {
      this.remoteTarget = contact.uri.toString(); // §12.2.2 target refresh
      this.remote.contact = this.remoteTarget;
    }
    const offer = req.body;
    const newOffer = offer.length > 0 && offer !== this.remote.sdp;
    const headers: Array<readonly [string, string]> = [...decision.headers];
    if (event === 'update') headers.push(['Contact', this.local.contact]);
    res.onFinal = (status, body) => {
      if (status < 200 || status >= 300) return;
      if (offer.length > 0) this.remote.sdp = offer;
      if (body.length > 0) this.local.sdp = body;
      if (decision.session) this.sessionTimer.start(decision.session);
    };
    if (newOffer && this.listenerCount(event) > 0) {
      res.defaultHeaders = headers;
      this.emit(event, req, res);
      return;
    }
    // An offer is answered with our SDP; an UPDATE without SDP gets a 2xx without SDP (RFC 3311 §5.2).
    const body = offer.length > 0 || event === 'modify' ? this.local.sdp : undefined;
    res.send(200, { headers, body });
    if (!newOffer) this.emit('refresh', req);
  }

  /** The ACK of a 2xx we sent (§13.3.1.4); for an offerless INVITE it carries the answer. */
  receiveAck(ack: SipRequest): void {
    if (ack.body.length > 0) this.remote.sdp = ack.body.toString('utf8');
    if (ack.cseq.seq === this.awaitingAck) this.awaitingAck = undefined;
    this.signals.emit('ack', ack);
  }

  /** §13.3.1.4: no ACK within 64*T1; "the session SHOULD be terminated" with a BYE. */
  ackNeverCame(): void {
    this.awaitingAck = undefined;
    this.signals.emit('no-ack', new SipError(408, 'No ACK for 200 OK'));
    if (!this.connected) return;
    void this.destroy().catch(() => undefined);
    this.emit('destroy', { reason: 'no ACK' });
  }

  /** A 2xx to our INVITE came again: send the same ACK again (§13.2.2.4). */
  resendAck(cseq: number): void {
    this.acks.resend(cseq);
  }

  // ---- requests to the far end -----------------------------------------------------------------

  /**
   * Sends a request inside the dialog (§12.2.1.1) and resolves with its final response, whatever the
   * status. A 481 or 408 ends the dialog (§12.2.1.2), emitting `destroy`.
   */
  async request(opts: DialogRequestOptions): Promise<SipResponse> {
    const method = opts.method.toUpperCase();
    if (method === 'ACK' || method === 'CANCEL') throw new Error(`dialog.request cannot send ${method}`);
    if (!this.connected) throw new Error('dialog is gone');
    const res = await this.send(method, opts);
    if (res.status === 481 || res.status === 408) {
      this.core.log.info({ callId: this.sip.callId, status: res.status }, 'call: dialog gone at the far end');
      this.ended();
      this.emit('destroy', { reason: `${res.status} to ${method}` });
    }
    return res;
  }

  /** Sends a re-INVITE with a new offer (§14.1) and resolves with the answer SDP. */
  async modify(sdp: string): Promise<string> {
    if (this.reinviteInProgress) throw new SipError(491, 'Request Pending');
    const res = await this.request({
      method: 'INVITE',
      body: sdp,
      headers: uacRequestHeaders(this.sessionConfig, this.session?.interval),
    });
    if (res.status >= 300) throw new SipError(res.status, res.reason, res);
    this.local.sdp = sdp;
    if (res.body.length > 0) this.remote.sdp = res.body.toString('utf8');
    return this.remote.sdp;
  }

  /** Hangs up: sends BYE (§15.1.1) and resolves when it is answered or timed out. */
  async destroy(opts: { headers?: HeaderInput } = {}): Promise<void> {
    if (!this.connected) return;
    this.ended();
    this.core.log.debug({ callId: this.sip.callId, dialog: this.type }, 'call: BYE sent');
    try {
      await this.send('BYE', { method: 'BYE', headers: opts.headers });
    } catch {
      // The far end is unreachable: the dialog is gone either way (§15.1.1).
    }
  }

  /** RFC 4028 §10: as refresher, refresh with a re-INVITE carrying the current SDP. */
  refreshSession(): void {
    if (!this.connected) return;
    const session = this.session;
    this.request({
      method: 'INVITE',
      body: this.local.sdp,
      headers: uacRequestHeaders(this.sessionConfig, session?.interval),
    }).then(
      (res) => {
        if (res.status < 300) return;
        this.core.log.info(
          { callId: this.sip.callId, status: res.status },
          'call: session refresh refused, ending the session',
        );
        if (this.connected) {
          void this.destroy();
          this.emit('destroy', { reason: 'session refresh failed' });
        }
      },
      () => undefined,
    );
  }

  /** RFC 4028 §10: no refresh came in time; BYE and tell the application. */
  sessionExpired(): void {
    if (!this.connected) return;
    this.core.log.info({ callId: this.sip.callId }, 'call: session timer expired');
    void this.destroy();
    this.emit('destroy', { reason: 'session timer expired' });
  }

  /** Stops timers without signalling (shutdown). */
  dispose(): void {
    this.sessionTimer.stop();
    this.connected = false;
  }

  /**
   * Sends the ACK of the dialog-creating 2xx when `createUAC` was told `noAck` (the answer SDP of an
   * offerless INVITE goes here, RFC 3264 §4 / RFC 3261 §13.2.2.4).
   */
  async ack(body?: string): Promise<void> {
    if (body) this.local.sdp = body;
    this.sendAck(this.localSeq, await this.nextHop(), body);
  }

  /** Sends the ACK for a 2xx to our INVITE and remembers it for 2xx retransmissions (§13.2.2.4). */
  sendAck(cseq: number, destination: Destination, body?: string): void {
    const ack = this.buildRequest('ACK', cseq, { method: 'ACK', body });
    const sent = this.core.sendAck(ack, destination);
    this.acks.remember(cseq, sent.data, sent.destination);
  }

  /** An in-dialog request (§12.2.1.1): remote target, our From, their To, the route set. */
  private buildRequest(method: string, cseq: number, opts: DialogRequestOptions): SipRequest {
    const body = opts.body && opts.body.length > 0 ? opts.body : undefined;
    return createRequest({
      method,
      uri: this.remoteTarget,
      from: this.localParty,
      to: this.remoteParty,
      callId: this.sip.callId,
      cseq,
      routes: [...this.routeSet],
      // Target refresh requests carry our Contact (§12.2.1.1, RFC 3311), and so does an ACK with SDP.
      contact:
        method === 'INVITE' || method === 'UPDATE' || (method === 'ACK' && body) ? this.local.contact : undefined,
      headers: headerPairs(opts.headers),
      body,
      contentType: body ? (opts.contentType ?? 'application/sdp') : undefined,
    });
  }

  private async send(method: string, opts: DialogRequestOptions): Promise<SipResponse> {
    const cseq = ++this.localSeq;
    const req = this.buildRequest(method, cseq, opts);
    const destination = await this.nextHop();
    if (method === 'INVITE') this.reinviteInProgress = true;
    try {
      const sent = this.core.sendRequest(req, destination, {
        onLate2xx: this.acks.onLate2xx,
      });
      const res = await sent.response;
      if (method === 'INVITE' && res.status >= 200 && res.status < 300) {
        this.sendAck(cseq, sent.destination);
        const contact = res.contacts[0];
        if (contact) this.remoteTarget = contact.uri.toString();
        const session = sessionFromUasAnswer(res, this.sessionConfig);
        if (session) this.sessionTimer.start(session);
      }
      return res;
    } finally {
      if (method === 'INVITE') this.reinviteInProgress = false;
    }
  }

  /**
   * Where the next in-dialog request goes: back over the connection the dialog came in on when it
   * is TCP/TLS and still open; else the first route (loose routing, §16.12) or the remote target.
   */
  private async nextHop(): Promise<Destination> {
    const flow = this.flow;
    if (flow && flow.protocol !== 'udp') {
      const c = flow.connection?.isOpen
        ? flow.connection
        : this.core.transport.openConnection(flow.protocol, flow.host, flow.port);
      if (c) return { ...flow, connection: c };
    }
    const first = this.routeSet[0];
    return this.core.transport.resolve(first ? readNameAddr(first, 'Route').uri : readUri(this.remoteTarget));
  }

  /** The dialog ends: timers stop, the core forgets it. */
  private ended(): void {
    this.connected = false;
    this.sessionTimer.stop();
    this.core.forget(this);
  }
}
