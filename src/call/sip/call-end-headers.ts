import { reasonHeader } from '../../sip';
import type { CallEnd } from '../caller-leg';

/** The headers of a BYE that ends a call for `end`: its `Reason` (RFC 3326 §2), none without one. */
export function byeHeaders(end: CallEnd | undefined): Record<string, string> | undefined {
  return end ? { Reason: reasonHeader({ cause: end.status, text: end.reason }) } : undefined;
}

/** The headers of a final response refusing a call: `Retry-After` (RFC 3261 §20.33) when it may pass. */
export function refusalHeaders(end: CallEnd): Record<string, string> | undefined {
  return end.retryAfterSeconds === undefined ? undefined : { 'Retry-After': String(end.retryAfterSeconds) };
}
