/** What is wrong with a TPKT frame or a Q.931 message (the PER layer has {@link PerError}). */
export type WireErrorKind = 'tpkt' | 'q931';

/** A malformed TPKT (RFC 1006 §6) or Q.931 (ITU-T Q.931 §4, H.225.0 §7.2) frame. */
export class WireError extends Error {
  constructor(
    readonly kind: WireErrorKind,
    readonly detail: string,
  ) {
    super(`${kind}: ${detail}`);
    this.name = 'WireError';
  }
}
