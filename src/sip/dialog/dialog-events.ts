import type { SipError } from '../message/sip-error';
import type { SipRequest } from '../message/sip-message';
import type { SrfRequest } from './srf-request';
import type { SrfResponse } from './srf-response';

/** Why a dialog ended when no BYE came: the session timer, a failed refresh, no ACK, a 481/408. */
export interface DialogEnd {
  reason: string;
}

/**
 * The events a {@link Dialog} emits to the application (drachtio-srf's names):
 * - `destroy`: the far end hung up (the BYE, RFC 3261 §15.1.2), or the dialog ended for a `reason`;
 * - `modify`: a re-INVITE with a new offer (§14.2), when listened for (else answered with the current SDP);
 * - `update`: an UPDATE with a new offer (RFC 3311), when listened for;
 * - `refresh`: a session refresh that changed nothing (RFC 4028 §10);
 * - `info`, `notify`, `refer`, `options`, `message`: passed through when listened for (else 200, REFER 405).
 */
export interface DialogEvents {
  destroy: [cause: SrfRequest | DialogEnd];
  modify: [req: SrfRequest, res: SrfResponse];
  update: [req: SrfRequest, res: SrfResponse];
  refresh: [req: SrfRequest];
  info: [req: SrfRequest, res: SrfResponse];
  notify: [req: SrfRequest, res: SrfResponse];
  refer: [req: SrfRequest, res: SrfResponse];
  options: [req: SrfRequest, res: SrfResponse];
  message: [req: SrfRequest, res: SrfResponse];
}

/** The in-dialog methods passed to the application as they are, by their event name. */
export const PASSED_THROUGH: ReadonlyMap<string, 'info' | 'notify' | 'refer' | 'options' | 'message'> = new Map([
  ['INFO', 'info'],
  ['NOTIFY', 'notify'],
  ['REFER', 'refer'],
  ['OPTIONS', 'options'],
  ['MESSAGE', 'message'],
]);

/**
 * The stack's own signals about a UAS dialog, apart from the application's events (as mediasoup
 * keeps its `observer` apart): `ack` when the ACK of our 2xx came (§13.3.1.4), `no-ack` when none
 * will (64*T1 passed, or a BYE came first). `createUAS` waits on them.
 */
export interface DialogSignals {
  ack: [ack: SipRequest];
  'no-ack': [err: SipError];
}
