/** What a `Reason` header says: the protocol of the cause, the cause, and an optional text. */
export interface Reason {
  /** `SIP` for a SIP status code, `Q.850` for an ISDN cause value (RFC 3326 §2); default `SIP`. */
  protocol?: 'SIP' | 'Q.850';
  cause: number;
  text?: string;
}

/**
 * The value of a `Reason` header (RFC 3326 §2): `SIP;cause=410;text="Conference Ended"`. The text is
 * a quoted-string whose `"` and `\` are escaped as quoted-pairs (RFC 3261 §25.1), so any text can go in.
 */
export function reasonHeader(reason: Reason): string {
  const value = `${reason.protocol ?? 'SIP'};cause=${reason.cause}`;
  if (reason.text === undefined) return value;
  return `${value};text="${reason.text.replace(/["\\]/g, '\\$&')}"`;
}
