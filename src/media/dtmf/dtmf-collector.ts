import type { DtmfDigit, DtmfMethod } from './dtmf-digit';

/** A digit as the IVR receives it, whatever path it came by. */
export interface CollectedDigit {
  digit: DtmfDigit;
  method: DtmfMethod;
  /** Milliseconds on the collector's clock when it was accepted. */
  atMs: number;
}

/** Per-call DTMF summary for call records and the live view. */
export interface DtmfUsage {
  /** Accepted digits per method: the three media and SIP methods always, a signalling method once it delivered one. */
  accepted: Record<'rfc4733' | 'sip-info' | 'inband', number> & Partial<Record<DtmfMethod, number>>;
  /** Digits dropped as a second report of a key press already accepted by another method. */
  suppressed: number;
  /** The method of the first accepted digit, the one the caller's equipment uses. */
  firstMethod: DtmfMethod | undefined;
}

/**
 * One key-press stream per call from every DTMF path (RTP events, in-band tones, and the keys the
 * signalling carries: SIP INFO, H.245 user input, Q.931 Keypad).
 *
 * Many gateways send a key press twice: as RFC 4733 events and as tones left in the audio, or as
 * RFC 4733 and SIP INFO. Two rules keep one digit per press:
 * - once a digit came out of band (RFC 4733 or INFO), in-band detections are dropped for the rest of
 *   the call: the tones are then an echo of events already received (RFC 4733 asks senders to
 *   suppress them, not all do);
 * - the same digit by a different method within `crossMethodWindowMs` of the accepted one is the
 *   same press (covers the in-band detector beating a late first RFC 4733 packet, and INFO + 4733).
 * The same digit twice by one method is always two presses: each path de-duplicates itself.
 */
export class DtmfCollector {
  private readonly usage: DtmfUsage = {
    accepted: { rfc4733: 0, 'sip-info': 0, inband: 0 },
    suppressed: 0,
    firstMethod: undefined,
  };
  private lastAccepted: CollectedDigit | undefined;
  private outOfBandSeen = false;

  constructor(
    private readonly onDigit: (digit: CollectedDigit) => void,
    private readonly crossMethodWindowMs = 400,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Offers a digit from one path; returns whether it was accepted. */
  offer(digit: DtmfDigit, method: DtmfMethod): boolean {
    const atMs = this.now();
    const last = this.lastAccepted;
    const echo = method === 'inband' && this.outOfBandSeen;
    const twin =
      last !== undefined &&
      last.method !== method &&
      last.digit === digit &&
      atMs - last.atMs <= this.crossMethodWindowMs;
    if (method !== 'inband') this.outOfBandSeen = true;
    if (echo || twin) {
      this.usage.suppressed++;
      return false;
    }
    const collected = { digit, method, atMs };
    this.lastAccepted = collected;
    this.usage.accepted[method] = (this.usage.accepted[method] ?? 0) + 1;
    this.usage.firstMethod ??= method;
    this.onDigit(collected);
    return true;
  }

  /** Whether in-band tones still matter: false once the caller's equipment has shown it signals out of band. */
  get wantsInband(): boolean {
    return !this.outOfBandSeen;
  }

  /** What each method delivered so far. */
  get methods(): Readonly<DtmfUsage> {
    return this.usage;
  }
}
