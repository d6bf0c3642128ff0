import { Dialog } from '../dialog/dialog';
import { flowDestination } from '../message/flow';
import { negotiateAsUas, type SessionTimerConfig } from '../dialog/session-timer-negotiation';
import { SipError } from '../message/sip-error';
import type { SrfRequest } from '../dialog/srf-request';
import { headerPairs, type HeaderInput } from '../message/header-input';
import { type SrfResponse } from '../dialog/srf-response';
import type { UserAgentCore } from '../core/user-agent-core';

export interface UasOptions {
  /** Our SDP for the 200 OK: the answer, or the offer when the INVITE had none. */
  localSdp?: string;
  headers?: HeaderInput;
}

/**
 * Answers an INVITE with 200 OK and creates the UAS dialog (RFC 3261 §12.1.1, §13.3.1.4): route set
 * from Record-Route, remote target from Contact, session timer from RFC 4028 §9. Resolves with the
 * dialog once the ACK arrives (for an offerless INVITE it carries the answer, `remote.sdp`);
 * rejects if the caller cancelled first, if no ACK came within 64*T1 (the call is then ended), or
 * if a BYE came before the ACK.
 */
export function createUAS(
  core: UserAgentCore,
  sessionTimer: SessionTimerConfig,
  req: SrfRequest,
  res: SrfResponse,
  opts: UasOptions = {},
): Promise<Dialog> {
  const msg = req.msg;
  if (req.canceled || res.finalResponseSent) return Promise.reject(new SipError(487, 'Request Terminated'));
  const decision = negotiateAsUas(msg, sessionTimer);
  if (decision.reject) {
    res.send(422, 'Session Interval Too Small', { headers: { 'Min-SE': String(decision.minSE) } });
    return Promise.reject(new SipError(422, 'Session Interval Too Small'));
  }
  const contact = msg.contacts[0];
  if (!contact) {
    res.send(400, 'Missing Contact header');
    return Promise.reject(new SipError(400, 'Missing Contact header'));
  }
  const local = msg.to.clone();
  local.tag = res.toTag;
  const flow = req.flow;
  const dialog = new Dialog(core, {
    type: 'uas',
    callId: msg.callId,
    local,
    remote: msg.from.clone(),
    localContact: core.contactFor(flow.protocol),
    remoteTarget: contact.uri.toString(),
    routeSet: msg.recordRoutes.map((r) => r.toString()),
    localSeq: 0,
    remoteSeq: msg.cseq.seq,
    localSdp: opts.localSdp ?? '',
    remoteSdp: req.body,
    flow: flowDestination(flow),
    sessionTimer,
    session: decision.session,
  });
  core.dialogs.set(dialog.key, dialog);
  dialog.awaitingAck = msg.cseq.seq;
  const answered = new Promise<Dialog>((resolve, reject) => {
    const onAck = (): void => {
      dialog.signals.off('no-ack', onNoAck);
      resolve(dialog);
    };
    const onNoAck = (err: SipError): void => {
      dialog.signals.off('ack', onAck);
      reject(err);
    };
    dialog.signals.once('ack', onAck);
    dialog.signals.once('no-ack', onNoAck);
  });
  res.send(200, {
    headers: [...decision.headers, ['Supported', 'timer'], ...headerPairs(opts.headers)],
    body: opts.localSdp,
  });
  core.log.debug({ callId: msg.callId, protocol: flow.protocol }, 'call: answered (200 OK)');
  return answered;
}
