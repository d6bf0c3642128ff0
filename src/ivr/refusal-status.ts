import type { HangupReason } from './ivr-machine';

/** A SIP status and reason phrase telling why confgate refused or ended a call. */
export interface RefusalStatus {
  status: number;
  reason: string;
}

/**
 * How a refusal reads in SIP: the final response to a direct dial (`5387*8688@host`, refused
 * before any answer), or the `Reason: SIP;cause=…;text="…"` header (RFC 3326 §2) of the BYE that
 * ends an IVR call. Codes follow RFC 3261 §21: 404 for a conference that does not exist, 403 for
 * a refusal the caller cannot cure by retrying, 410 for one that is over, 480 for one not open
 * yet, 486 for a full one, 503 when admission is down.
 */
const REFUSALS: Readonly<Record<HangupReason, RefusalStatus>> = {
  unknown: { status: 404, reason: 'Conference Not Found' },
  'wrong-code': { status: 403, reason: 'Wrong Access Code' },
  'not-open': { status: 480, reason: 'Conference Not Open Yet' },
  ended: { status: 410, reason: 'Conference Ended' },
  full: { status: 486, reason: 'Conference Full' },
  locked: { status: 403, reason: 'Conference Locked' },
  'too-many-attempts': { status: 403, reason: 'Too Many Attempts' },
  unavailable: { status: 503, reason: 'Admission Unavailable' },
  'attempts-exhausted': { status: 403, reason: 'No Valid Entry' },
};

/** The SIP status and reason phrase for why the IVR (or a direct dial) ended a call. */
export function refusalStatus(reason: HangupReason): RefusalStatus {
  return REFUSALS[reason];
}
