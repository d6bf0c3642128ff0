/**
 * Where the user agent core reports SIP traffic for metrics: every request received (retransmissions
 * included, as they cost the same work) and every response this element sends, by request method.
 * Kept to two calls so the hot path pays one optional call each.
 */
export interface SipCounters {
  request(method: string): void;
  response(method: string, status: number): void;
}
