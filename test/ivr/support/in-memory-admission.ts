import type { Language } from '../../../src/booking/booking';
import type {
  Admission,
  AdmissionAnswer,
  AdmissionRequest,
  AdmissionVerdict,
  CallerSource,
  NumberVerdict,
} from '../../../src/admission/admission-port';

/** A small, real admission over an in-memory table of bookings; it records every question it was asked. */
export class InMemoryAdmission implements Admission {
  readonly lookups: string[] = [];
  readonly requests: AdmissionRequest[] = [];
  /** Callers counted as failed for leaving the IVR without a key. */
  readonly noEntries: CallerSource[] = [];
  /** When set, the conference is under attack: a request not yet held is answered with a hold this long. */
  holdMs = 0;

  constructor(private readonly bookings: Record<string, { code: string; language: Language }>) {}

  async lookup(number: string): Promise<NumberVerdict> {
    this.lookups.push(number);
    const booking = this.bookings[number];
    return booking ? { kind: 'known', language: booking.language } : { kind: 'unknown' };
  }

  async admit(request: AdmissionRequest): Promise<AdmissionAnswer> {
    this.requests.push(request);
    if (this.holdMs > 0 && request.held !== true) return { kind: 'hold', ms: this.holdMs };
    return this.verdict(request);
  }

  private verdict(request: AdmissionRequest): AdmissionVerdict {
    const booking = this.bookings[request.number];
    if (!booking) return { kind: 'unknown' };
    if (booking.code !== request.code) return { kind: 'wrong-code', language: booking.language };
    return {
      kind: 'admitted',
      participant: { participantId: `p-${this.requests.length}`, bookingId: `b-${request.number}` },
      language: booking.language,
    };
  }

  async noEntry(source: CallerSource): Promise<void> {
    this.noEntries.push(source);
  }

  /** The entries the IVR collected, in order: numbers looked up, then number/code pairs admitted. */
  entries(): string[] {
    return [...this.lookups, ...this.requests.map((r) => `${r.number}/${r.code}`)];
  }
}
