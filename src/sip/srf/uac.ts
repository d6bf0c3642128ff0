import { AckMemory } from '../dialog/ack-memory';
import { Dialog } from '../dialog/dialog';
import {
  minSEOf,
  sessionFromUasAnswer,
  uacRequestHeaders,
  type SessionTimerConfig,
} from '../dialog/session-timer-negotiation';
import { createRequest, newCallId, newTag } from '../message/message-factory';
import { NameAddr } from '../message/name-addr';
import type { SipRequest, SipResponse } from '../message/sip-message';
import { uriHost } from '../message/host';
import { isSipUser } from '../message/sip-user';
import { readUri } from '../message/uri';
import { SipError } from '../message/sip-error';
import { headerPairs, type HeaderInput } from '../message/header-input';
import type { SentRequest } from '../transaction/sent-request';
import type { UserAgentCore } from '../core/user-agent-core';

export interface UacOptions {
  /** Our offer; with `noOffer`, the answer put into the ACK. */
  localSdp?: string;
  /** Send the INVITE without SDP (the far end offers in its 2xx, we answer in the ACK). */
  noOffer?: boolean;
  /** Resolve before acknowledging; the caller then sends `dialog.ack(sdp)` (B2BUA with an offerless A leg). */
  noAck?: boolean;
  headers?: HeaderInput;
  /** Our From URI (default `sip:<callingNumber or confgate>@<our address>`). */
  from?: string;
  /**
   * The From user part when `from` is not given: the caller a B2BUA re-originates for (as
   * drachtio-srf's option of that name). Ignored unless it is a valid SIP user (RFC 3261 §25.1).
   */
  callingNumber?: string;
  /** The From display name (RFC 3261 §20.20), e.g. the caller's, which MCUs show under the participant's picture. */
  callingName?: string;

  /** Send to this URI instead of resolving the Request-URI (an outbound proxy). */
  proxy?: string;
}

export interface UacCallbacks {
  /** The INVITE as sent, with `cancel()`. */
  cbRequest?: (invite: UacInvite) => void;
  /** Each provisional response (not 100). */
  cbProvisional?: (res: SipResponse) => void;
}

/**
 * An INVITE in progress, cancellable (RFC 3261 §9.1). A CANCEL asked for before any provisional
 * response waits for one: "a CANCEL ... SHOULD NOT be sent" until then.
 */
export class UacInvite {
  private cancelRequested = false;
  private provisionalSeen = false;
  private finalSeen = false;

  constructor(
    private readonly core: UserAgentCore,
    private sent: SentRequest,
  ) {}

  get msg(): SipRequest {
    return this.sent.request;
  }

  get canceled(): boolean {
    return this.cancelRequested;
  }

  cancel(): void {
    if (this.cancelRequested || this.finalSeen) return;
    this.cancelRequested = true;
    if (this.provisionalSeen) this.sendCancel();
  }

  /** @internal */
  retried(sent: SentRequest): void {
    this.sent = sent;
    this.provisionalSeen = false;
  }

  /** @internal */
  provisional(): void {
    if (this.provisionalSeen) return;
    this.provisionalSeen = true;
    if (this.cancelRequested && !this.finalSeen) this.sendCancel();
  }

  /** @internal */
  final(): void {
    this.finalSeen = true;
  }

  private sendCancel(): void {
    this.core.cancel(this.sent).catch(() => undefined);
  }
}

/**
 * Places a call (RFC 3261 §13.2): sends an INVITE with our offer (or none), passes provisional
 * responses on, and resolves with the UAC dialog on 2xx (§12.1.2: route set from the reversed
 * Record-Route, remote target from Contact), after sending the ACK (§13.2.2.4) unless `noAck`.
 * A 422 is retried once with the far end's Min-SE (RFC 4028 §7.4). Rejects with {@link SipError}
 * on a final non-2xx, a timeout (408) or a transport failure (503).
 */
export async function createUAC(
  core: UserAgentCore,
  sessionTimer: SessionTimerConfig,
  uri: string,
  opts: UacOptions = {},
  callbacks: UacCallbacks = {},
): Promise<Dialog> {
  const target = readUri(uri);
  const destination = await core.transport.resolve(opts.proxy ? readUri(opts.proxy) : target);
  const contact = core.contactFor(destination.protocol);
  const local = core.transport.localAddress(destination.protocol);
  const user = opts.callingNumber && isSipUser(opts.callingNumber) ? opts.callingNumber : 'confgate';
  const from = new NameAddr(readUri(opts.from ?? `sip:${user}@${uriHost(local.host)}`), opts.callingName || undefined);
  from.tag = newTag();
  const to = new NameAddr(target.clone());
  const callId = newCallId();
  const offer = opts.noOffer ? undefined : opts.localSdp;
  let invite: UacInvite | undefined;
  let interval = sessionTimer.expires;
  // Made before the dialog: the INVITE transaction re-ACKs a retransmitted 2xx through it (§13.2.2.4).
  const acks = new AckMemory(core.transport);
  let cseq = 1;
  for (let attempt = 0; ; attempt++) {
    const req = createRequest({
      method: 'INVITE',
      uri: target.clone(),
      from,
      to,
      callId,
      cseq,
      contact,
      headers: [...uacRequestHeaders(sessionTimer, interval), ...headerPairs(opts.headers)],
      body: offer,
      contentType: offer ? 'application/sdp' : undefined,
    });
    const sent = core.sendRequest(req, destination, {
      onProvisional: (p) => {
        invite?.provisional();
        if (p.status > 100) callbacks.cbProvisional?.(p);
      },
      onLate2xx: acks.onLate2xx,
    });
    if (!invite) {
      invite = new UacInvite(core, sent);
      core.log.debug({ callId, to: uri }, 'call: INVITE sent');
      callbacks.cbRequest?.(invite);
    } else {
      invite.retried(sent);
    }
    const res = await sent.response.catch((err: unknown) => {
      invite!.final();
      throw err;
    });
    invite.final();
    const minSE = res.status === 422 ? minSEOf(res) : undefined;
    if (minSE !== undefined && attempt === 0 && !invite.canceled) {
      interval = Math.max(minSE, interval);
      cseq++;
      continue;
    }
    if (res.status >= 300) {
      core.log.info({ callId, status: res.status }, 'call: INVITE failed');
      throw new SipError(res.status, res.reason, res);
    }
    const remote = res.to.clone();
    const dialog = new Dialog(core, {
      type: 'uac',
      callId,
      local: from,
      remote,
      localContact: contact,
      remoteTarget: res.contacts[0]?.uri.toString() ?? target.toString(),
      routeSet: res.recordRoutes.map((r) => r.toString()).reverse(),
      localSeq: cseq,
      remoteSeq: undefined,
      localSdp: opts.localSdp ?? '',
      remoteSdp: res.body.toString('utf8'),
      flow: destination.protocol === 'udp' ? undefined : sent.destination,
      sessionTimer,
      session: sessionFromUasAnswer(res, sessionTimer),
      acks,
    });
    core.dialogs.set(dialog.key, dialog);
    core.log.debug({ callId, status: res.status }, 'call: answered by the far end');
    if (invite.canceled) {
      // The 2xx crossed our CANCEL: acknowledge and hang up (§9.1, §15).
      await dialog.ack();
      await dialog.destroy();
      throw new SipError(487, 'Request Terminated');
    }
    if (!opts.noAck) await dialog.ack(opts.noOffer ? opts.localSdp : undefined);
    return dialog;
  }
}
