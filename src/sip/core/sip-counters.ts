import type { InviteLimit } from './invite-rate-limiter';

/**
 * Where the user agent core reports SIP traffic for metrics: every request received (retransmissions
 * included, as they cost the same work) and every response this element sends, by request method.
 * Kept to two calls so the hot path pays one optional call each; a third only on the overload path.
 */
export interface SipCounters {
  request(method: string): void;
  response(method: string, status: number): void;
  /** A new INVITE from `source` refused by an INVITE rate limit, its own or the total (its 503 is counted by `response` too). */
  inviteLimited?(trusted: boolean, source: string, limit: InviteLimit): void;
}
