import type { SipLogger } from '../sip-logger';
import type { SipCounters } from './sip-counters';
import { CONFGATE_POLICY, type CorePolicy } from './core-policy';
import { mergedRequestKey } from './loop-detection';
import { createOptionsResponse } from './options-response';
import { rejectRequest, type RequestContext } from './request-rejection';
import type { InviteRateLimiter } from './invite-rate-limiter';
import { createRejectionResponse } from '../message/rejection-response';
import { newBranch } from '../message/message-factory';
import { serialize } from '../message/serialize';
import type { SipRequest, SipResponse } from '../message/sip-message';
import type { Rejection } from '../message/validate';
import type { Dialog, DialogCore } from '../dialog/dialog';
import { Invite2xxRetransmission, type AckTimeoutSink } from '../dialog/invite-2xx-retransmission';
import type { TimerWheel } from '../timer/timer-wheel';
import { ackForNon2xx, cancelFor } from '../transaction/ack-and-cancel';
import type { InviteClientTransactionUser, ServerTransactionUser } from '../transaction/client-transaction-user';
import { InviteClientTransaction } from '../transaction/invite-client-transaction';
import { InviteServerTransaction } from '../transaction/invite-server-transaction';
import type { TransactionFailure } from '../transaction/transaction';
import {
  serverTransactionKey,
  type ClientTransaction,
  type ServerTransaction,
  type TransactionLayer,
} from '../transaction/transaction-layer';
import type { TransactionTimerConfig } from '../transaction/transaction-timers';
import type { Destination, Flow, TransportProtocol } from '../message/flow';
import { hostPort } from '../message/host';
import type { TransportLayer, TransportUser } from '../transport/transport-layer';
import type { RequestHooks, SentRequest } from '../transaction/sent-request';
import { SipError } from '../message/sip-error';
import { SrfRequest } from '../dialog/srf-request';
import { SrfResponse, type ResponseCore } from '../dialog/srf-response';

/** A handler of new requests outside a dialog; a returned promise's rejection is caught and logged. */
export type RequestHandler = (req: SrfRequest, res: SrfResponse) => void | Promise<void>;

/** The UAC core's side of one client transaction: settles the promise, builds the non-2xx ACK. */
class ClientRequestUser implements InviteClientTransactionUser<SipResponse> {
  private settled = false;
  // Dropped once settled: the transaction lingers (Timer K, or 64*T1 in Accepted, RFC 6026 §8.4)
  // and must not keep the request, the promise's continuation and the hooks' call state alive.
  private request: SipRequest | undefined;
  private onProvisional: RequestHooks['onProvisional'];
  private resolve: ((res: SipResponse) => void) | undefined;
  private reject: ((err: SipError) => void) | undefined;
  private readonly onLate2xx: RequestHooks['onLate2xx'];

  constructor(
    request: SipRequest,
    hooks: RequestHooks,
    resolve: (res: SipResponse) => void,
    reject: (err: SipError) => void,
  ) {
    this.request = request;
    this.onProvisional = hooks.onProvisional;
    this.onLate2xx = hooks.onLate2xx;
    this.resolve = resolve;
    this.reject = reject;
  }

  receiveResponse(res: SipResponse, status: number): void {
    if (status < 200) {
      if (!this.settled) this.onProvisional?.(res);
    } else if (!this.settled) {
      const resolve = this.resolve!;
      this.settle();
      resolve(res);
    } else if (status < 300) {
      this.onLate2xx?.(res);
    }
  }

  transactionFailed(reason: TransactionFailure): void {
    if (this.settled) return;
    const reject = this.reject!;
    this.settle();
    // §8.1.3.1: a timeout is treated as 408, a transport failure as 503.
    reject(reason === 'timeout' ? new SipError(408, 'Request Timeout') : new SipError(503, 'Service Unavailable'));
  }

  /** Called by the INVITE transaction before it passes the non-2xx final up (§17.1.1.3). */
  ackFor(res: SipResponse): Buffer {
    return serialize(ackForNon2xx(this.request!, res));
  }

  private settle(): void {
    this.settled = true;
    this.request = undefined;
    this.onProvisional = undefined;
    this.resolve = undefined;
    this.reject = undefined;
  }
}

export interface UserAgentCoreOptions {
  readonly log: SipLogger;
  readonly wheel: TimerWheel;
  readonly timers: TransactionTimerConfig;
  readonly transport: TransportLayer;
  readonly transactions: TransactionLayer;
  /** The Server/User-Agent product token (§20.35, §20.41). */
  readonly userAgent: string;
  readonly policy?: CorePolicy;
  /** Traffic counters for metrics. */
  readonly counters?: SipCounters;
  /** Limits new INVITEs per source address; absent: no limit. */
  readonly inviteLimiter?: InviteRateLimiter;
}

/**
 * The user agent core of RFC 3261 §8 above the transaction layer: matches requests to server
 * transactions (retransmissions, ACK, CANCEL), applies the UAS checks of §8.2 to new ones, sends
 * in-dialog requests to their {@link Dialog} (481 when none, §12.2.2), answers OPTIONS (§11.2),
 * hands new requests to the application, retransmits 2xx to INVITE until ACKed (§13.3.1.4), and
 * sends requests through client transactions.
 */
export class UserAgentCore implements TransportUser, AckTimeoutSink, DialogCore, ResponseCore {
  readonly log: SipLogger;
  readonly wheel: TimerWheel;
  readonly timers: TransactionTimerConfig;
  readonly transport: TransportLayer;
  readonly userAgent: string;
  readonly policy: CorePolicy;
  readonly counters: SipCounters | undefined;
  readonly allowHeader: string;
  /** Dialogs by `Call-ID|local tag|remote tag`. */
  readonly dialogs = new Map<string, Dialog>();
  private readonly transactions: TransactionLayer;
  /** Unanswered INVITEs by server transaction key, for CANCEL (§9.2). */
  private readonly unanswered = new Map<string, SrfResponse>();
  /** 2xx responses waiting for their ACK, by `Call-ID|To tag|CSeq`. */
  private readonly ackWaits = new Map<string, Invite2xxRetransmission>();
  private handler: RequestHandler | undefined;
  private readonly debug: boolean;
  /** What the §8.2 checks need from the transaction layer; one object for all requests. */
  private readonly rejectionContext: RequestContext;
  /**
   * The user of every server transaction: one shared object, so a lingering transaction holds no
   * closure. A failure is logged with the transaction key (branch, sent-by, method).
   */
  private readonly serverTxUser: ServerTransactionUser;
  /** Contact per transport, built once. */
  private readonly contacts = new Map<TransportProtocol, string>();
  /** The per-source INVITE limit with its 503, built once. */
  private readonly inviteLimit: { limiter: InviteRateLimiter; rejection: Rejection } | undefined;

  constructor(opts: UserAgentCoreOptions) {
    this.log = opts.log;
    this.wheel = opts.wheel;
    this.timers = opts.timers;
    this.transport = opts.transport;
    this.transactions = opts.transactions;
    this.userAgent = opts.userAgent;
    this.policy = opts.policy ?? CONFGATE_POLICY;
    this.counters = opts.counters;
    const limiter = opts.inviteLimiter;
    this.inviteLimit = limiter && {
      limiter,
      rejection: {
        status: 503,
        reason: 'Service Unavailable',
        headers: [['Retry-After', String(limiter.limits.retryAfterSeconds)]],
      },
    };
    this.allowHeader = [...this.policy.methods].join(', ');
    this.debug = opts.log.isLevelEnabled('debug');
    const transport = opts.transport;
    this.rejectionContext = {
      branchOf: (k) => this.transactions.branchOf(k),
      // §16.3 step 4 as far as a B2BUA sees it: a request carrying our own sent-by looped back to us.
      get localSentBys(): ReadonlySet<string> {
        return transport.sentBys;
      },
    };
    this.serverTxUser = {
      transactionFailed: (reason, tx) =>
        this.log.info({ transaction: tx.key, reason }, 'sip server transaction failed (no ACK or transport error)'),
    };
  }

  /** Sets the handler of new requests outside dialogs (the Srf's method router). */
  onRequest(handler: RequestHandler): void {
    this.handler = handler;
  }

  static dialogKey(callId: string, localTag: string, remoteTag: string): string {
    return callId + '|' + localTag + '|' + remoteTag;
  }

  // ---- inbound -------------------------------------------------------------------------------

  receiveRequest(msg: SipRequest, flow: Flow): void {
    this.counters?.request(msg.method);
    let key: string;
    try {
      key = serverTransactionKey(msg);
    } catch {
      if (msg.method !== 'ACK') {
        this.counters?.response(msg.method, 400);
        this.transport.rejectStateless(msg, { status: 400, reason: 'Bad Request' }, flow);
      }
      return;
    }
    if (this.debug)
      this.log.debug(
        {
          callId: msg.headers.get('call-id'),
          from: hostPort(flow.remoteAddress, flow.remotePort),
          protocol: flow.protocol,
          sip: serialize(msg).toString('utf8'),
        },
        'sip request received',
      );
    const existing = this.transactions.findServer(key);
    if (msg.method === 'ACK') {
      if (existing instanceof InviteServerTransaction) existing.receiveAck();
      else this.receiveAck2xx(msg);
      return;
    }
    if (existing) {
      // §17.2.3: a retransmission, absorbed or answered by the transaction; a retransmitted INVITE
      // still unanswered gets its 100 Trying now.
      const pending = msg.method === 'INVITE' ? this.unanswered.get(key) : undefined;
      if (pending && pending.status === 0) pending.send(100);
      else existing.receiveRequest();
      return;
    }
    if (this.limitedInvite(msg, flow)) return;
    const rejection = rejectRequest(msg, this.policy, this.rejectionContext);
    const channel = this.transport.channel(this.transport.responseDestination(msg, flow));
    const outsideDialog = rejection === undefined && msg.toTag === undefined;
    const merge = outsideDialog ? ([mergedRequestKey(msg), msg.branch ?? ''] as const) : undefined;
    const tx: ServerTransaction =
      msg.method === 'INVITE'
        ? this.transactions.createInviteServer(key, channel, this.serverTxUser, merge)
        : this.transactions.createNonInviteServer(key, channel, this.serverTxUser, merge);
    const req = new SrfRequest(msg, flow);
    const res = new SrfResponse(this, req, tx, channel);
    if (rejection) {
      // A 482 is most often this instance's own health-check ping coming back (every few seconds): not news.
      this.log[rejection.status === 482 ? 'debug' : 'info'](
        { callId: msg.headers.get('call-id'), method: msg.method, status: rejection.status, err: rejection.reason },
        'sip request rejected',
      );
      this.sendRejection(res, rejection);
      return;
    }
    if (msg.method === 'CANCEL') return this.receiveCancel(msg, res);
    if (msg.method === 'INVITE') {
      // §17.2.1: "the server transaction MUST generate a 100 (Trying) response unless it knows that
      // the TU will generate a provisional or final response within 200 ms" — so only if it does not.
      res.sendTryingAfter(200);
      this.unanswered.set(key, res);
    }
    if (msg.toTag !== undefined) return this.receiveInDialog(req, res);
    if (msg.method === 'OPTIONS' && !this.handler) return this.answerOptions(res);
    if (msg.method !== 'INVITE' && msg.method !== 'OPTIONS') {
      // BYE, INFO, UPDATE, NOTIFY ... without a To tag belong to no dialog (§12.2.2).
      res.send(481, 'Call/Transaction Does Not Exist');
      return;
    }
    if (msg.method === 'INVITE')
      this.log.debug(
        { callId: msg.callId, from: msg.headers.get('from'), to: msg.uri, protocol: flow.protocol },
        'call: INVITE received',
      );
    if (!this.handler) {
      res.send(msg.method === 'OPTIONS' ? 200 : 480);
      return;
    }
    // The Srf's method router catches and logs a handler's failure (srf.ts), so nothing is left to await here.
    void this.handler(req, res);
  }

  /**
   * A new INVITE over its source's rate, or over the total rate, is answered 503 with Retry-After (RFC 3261 §21.5.4) statelessly
   * (§8.2, no transaction), so a flood costs a parse and one datagram per INVITE. Retransmissions and
   * requests inside dialogs never reach here, nor any other method: OPTIONS and live calls go on.
   */
  private limitedInvite(msg: SipRequest, flow: Flow): boolean {
    const limit = this.inviteLimit;
    if (limit === undefined || msg.method !== 'INVITE' || hasToTag(msg)) return false;
    const verdict = limit.limiter.admit(flow.remoteAddress);
    if (verdict.admitted) return false;
    const which = verdict.limit ?? 'source';
    if (verdict.floodStart)
      this.log.warn(
        { source: flow.remoteAddress, trusted: verdict.trusted, sources: limit.limiter.size, limit: which },
        which === 'total'
          ? 'sip total INVITE rate limit reached: new INVITEs from untrusted sources get 503'
          : 'sip INVITE rate limit reached: new INVITEs from this source get 503',
      );
    this.counters?.response('INVITE', 503);
    this.counters?.inviteLimited?.(verdict.trusted, flow.remoteAddress, which);
    this.transport.answerStateless(msg, limit.rejection, flow);
    return true;
  }

  receiveResponse(res: SipResponse, flow: Flow): void {
    if (this.debug)
      this.log.debug(
        {
          callId: res.callId,
          from: hostPort(flow.remoteAddress, flow.remotePort),
          sip: serialize(res).toString('utf8'),
        },
        'sip response received',
      );
    const tx = this.transactions.findClient(res);
    if (tx) {
      tx.receiveResponse(res, res.status);
      return;
    }
    // A 2xx retransmitted after the INVITE transaction ended: re-send the dialog's ACK (§13.2.2.4).
    if (res.status >= 200 && res.status < 300 && res.cseq.method === 'INVITE' && res.fromTag && res.toTag) {
      this.dialogs.get(UserAgentCore.dialogKey(res.callId, res.fromTag, res.toTag))?.resendAck(res.cseq.seq);
    }
  }

  /** The OPTIONS answer of §11.2 (the default when the application set no handler for it). */
  answerOptions(res: SrfResponse): void {
    const msg = createOptionsResponse(res.req.msg, this.policy, res.toTag);
    res.sendPrepared(msg);
  }

  private receiveCancel(msg: SipRequest, res: SrfResponse): void {
    // §9.2: the CANCEL matches the INVITE by the same branch-based key with method INVITE.
    const inviteKey = serverTransactionKey(msg, 'INVITE');
    const invite = this.unanswered.get(inviteKey);
    if (!invite && !this.transactions.findServer(inviteKey)) {
      res.send(481, 'Call/Transaction Does Not Exist');
      return;
    }
    res.send(200);
    if (!invite) return; // already answered: "the CANCEL has no effect" on the INVITE
    this.log.info({ callId: msg.callId }, 'call: CANCEL received');
    invite.req.canceled = true;
    invite.send(487, 'Request Terminated');
    invite.req.emit('cancel', res.req);
  }

  private receiveInDialog(req: SrfRequest, res: SrfResponse): void {
    const msg = req.msg;
    const dialog = this.dialogs.get(UserAgentCore.dialogKey(msg.callId, msg.toTag!, msg.fromTag ?? ''));
    if (!dialog) {
      res.send(481, 'Call/Transaction Does Not Exist');
      return;
    }
    dialog.receiveRequest(req, res);
  }

  /** An ACK that matched no server transaction: the ACK of a 2xx (§13.3.1.4), or a stray. */
  private receiveAck2xx(msg: SipRequest): void {
    let ackKey: string;
    let dialog: Dialog | undefined;
    try {
      ackKey = msg.callId + '|' + (msg.toTag ?? '') + '|' + msg.cseq.seq;
      dialog = this.dialogs.get(UserAgentCore.dialogKey(msg.callId, msg.toTag ?? '', msg.fromTag ?? ''));
    } catch {
      return; // a malformed ACK is dropped (§17.1.1.3: never answered)
    }
    const wait = this.ackWaits.get(ackKey);
    if (wait) {
      wait.stop();
      this.ackWaits.delete(ackKey);
    }
    dialog?.receiveAck(msg);
  }

  private sendRejection(res: SrfResponse, rejection: Rejection): void {
    res.sendPrepared(createRejectionResponse(res.req.msg, rejection, res.toTag));
  }

  // ---- UAS support -----------------------------------------------------------------------------

  /** Called by a response once final: a CANCEL can no longer stop it. */
  answered(res: SrfResponse): void {
    if (res.req.method === 'INVITE') this.unanswered.delete(serverTransactionKey(res.req.msg));
  }

  /** §13.3.1.4: retransmit a 2xx to INVITE until the ACK. */
  retransmit2xxUntilAck(res: SrfResponse, data: Buffer): void {
    const key = res.req.callId + '|' + res.toTag + '|' + res.req.msg.cseq.seq;
    const wait = new Invite2xxRetransmission(key, this.wheel, this.timers, res.channel, data, this);
    wait.dialogKey = UserAgentCore.dialogKey(res.req.callId, res.toTag, res.req.msg.fromTag ?? '');
    this.ackWaits.get(key)?.stop();
    this.ackWaits.set(key, wait);
    wait.start();
  }

  forget(dialog: Dialog): void {
    if (this.dialogs.get(dialog.key) === dialog) this.dialogs.delete(dialog.key);
  }

  /** Stops re-sending a 2xx whose ACK will not come (a BYE arrived first). */
  stopAckWait(callId: string, localTag: string, cseq: number): void {
    const key = callId + '|' + localTag + '|' + cseq;
    this.ackWaits.get(key)?.stop();
    this.ackWaits.delete(key);
  }

  ackTimedOut(wait: Invite2xxRetransmission): void {
    this.ackWaits.delete(wait.key);
    this.log.info({ callId: wait.key.slice(0, wait.key.indexOf('|')) }, 'call: no ACK for 2xx, ending the session');
    // By key, not by a scan of every dialog: under overload many ACKs go missing at once.
    if (wait.dialogKey !== undefined) this.dialogs.get(wait.dialogKey)?.ackNeverCame();
  }

  /** The Contact this stack puts in dialog-creating messages for a transport (§8.1.1.8). */
  contactFor(protocol: TransportProtocol): string {
    let contact = this.contacts.get(protocol);
    if (contact === undefined) {
      const a = this.transport.localAddress(protocol);
      contact = `<sip:confgate@${hostPort(a.host, a.port)}${protocol === 'udp' ? '' : `;transport=${protocol}`}>`;
      this.contacts.set(protocol, contact);
    }
    return contact;
  }

  traceOut(data: Buffer, callId: string): void {
    if (this.debug) this.log.debug({ callId, sip: data.toString('utf8') }, 'sip message sent');
  }

  // ---- UAC support -----------------------------------------------------------------------------

  /**
   * Sends a request through a new client transaction (INVITE or not), with this stack's Via
   * (fresh branch, or `branch` for a CANCEL, §9.1). The response promise settles on the first final.
   */
  sendRequest(req: SipRequest, destination: Destination, hooks: RequestHooks = {}, branch = newBranch()): SentRequest {
    if (!req.headers.has('user-agent')) req.headers.append('User-Agent', this.userAgent);
    const prepared = this.transport.prepareRequest(req, destination, branch);
    const channel = this.transport.channel(prepared.destination);
    let transaction!: ClientTransaction;
    const response = new Promise<SipResponse>((resolve, reject) => {
      const user = new ClientRequestUser(req, hooks, resolve, reject);
      this.traceOut(prepared.data, req.callId);
      transaction =
        req.method === 'INVITE'
          ? this.transactions.startInviteClient(branch, channel, prepared.data, user)
          : this.transactions.startNonInviteClient(branch, req.method, channel, prepared.data, user);
    });
    return { request: req, destination: prepared.destination, branch, transaction, response };
  }

  /** Sends an ACK for a 2xx outside any transaction (§13.2.2.4, §17.1.1.3); returns its bytes for re-sending. */
  sendAck(ack: SipRequest, destination: Destination): { data: Buffer; destination: Destination } {
    if (!ack.headers.has('user-agent')) ack.headers.append('User-Agent', this.userAgent);
    const prepared = this.transport.prepareRequest(ack, destination, newBranch());
    this.traceOut(prepared.data, ack.callId);
    this.transport.send(prepared.data, prepared.destination);
    return prepared;
  }

  /** CANCELs an INVITE sent earlier (§9.1): same branch and destination, its own transaction. */
  cancel(sent: SentRequest): Promise<SipResponse> {
    if (sent.transaction instanceof InviteClientTransaction) sent.transaction.cancelSent();
    return this.sendRequest(cancelFor(sent.request), sent.destination, {}, sent.branch).response;
  }

  dispose(): void {
    for (const w of this.ackWaits.values()) w.stop();
    this.ackWaits.clear();
    this.unanswered.clear();
    for (const d of this.dialogs.values()) d.dispose();
    this.dialogs.clear();
  }
}

/** Whether a request carries a To tag (§12.2: inside a dialog); an unreadable To counts as none. */
function hasToTag(msg: SipRequest): boolean {
  try {
    return msg.toTag !== undefined;
  } catch {
    return false;
  }
}
