import type { Language } from '../../../src/booking/booking';
import type {
  Admission,
  AdmissionRequest,
  AdmissionVerdict,
  NumberVerdict,
} from '../../../src/admission/admission-port';

/** A small, real admission over an in-memory table of bookings; it records every question it was asked. */
export class InMemoryAdmission implements Admission {
  readonly lookups: string[] = [];
  readonly requests: AdmissionRequest[] = [];

  constructor(private readonly bookings: Record<string, { code: string; language: Language }>) {}

  async lookup(number: string): Promise<NumberVerdict> {
    this.lookups.push(number);
    const booking = this.bookings[number];
    return booking ? { kind: 'known', language: booking.language } : { kind: 'unknown' };
  }

  async admit(request: AdmissionRequest): Promise<AdmissionVerdict> {
    this.requests.push(request);
    const booking = this.bookings[request.number];
    if (!booking) return { kind: 'unknown' };
    if (booking.code !== request.code) return { kind: 'wrong-code', language: booking.language };
    return {
      kind: 'admitted',
      participant: { participantId: `p-${this.requests.length}`, bookingId: `b-${request.number}` },
      language: booking.language,
    };
  }

  /** The entries the IVR collected, in order: numbers looked up, then number/code pairs admitted. */
  entries(): string[] {
    return [...this.lookups, ...this.requests.map((r) => `${r.number}/${r.code}`)];
  }
}
