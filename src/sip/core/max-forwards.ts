import type { Rejection, SipRequest } from '../message';

/**
 * Max-Forwards check (RFC 3261 §16.3 step 3, applied by confgate because as a B2BUA it forwards
 * every call): a request that arrives with Max-Forwards 0 gets 483 Too Many Hops. OPTIONS is the
 * exception: with 0 it is answered as the target (§11, RFC 4475 §3.3.11 `zeromf`), and ACK is never
 * answered (§17). A missing Max-Forwards (RFC 2543 peers) is accepted.
 */
export function checkMaxForwards(request: SipRequest): Rejection | undefined {
  if (request.method === 'OPTIONS' || request.method === 'ACK') return undefined;
  return request.maxForwards === 0 ? { status: 483, reason: 'Too Many Hops' } : undefined;
}

/**
 * The Max-Forwards value for the request confgate sends on the other leg: one less than received
 * (§16.6 step 3), 70 when the caller sent none (§8.1.1.6).
 */
export function forwardedMaxForwards(request: SipRequest): number {
  const received = request.maxForwards;
  return received === undefined ? 70 : Math.max(received - 1, 0);
}
