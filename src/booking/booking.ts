/** Conference type, as RENAvisio offers it. */
export type ConferenceType = 'video' | 'audio';
export type Language = 'fr' | 'en';
export type BookingStatus = 'active' | 'cancelled';

/**
 * A booked conference as stored. `start` is the organiser's local wall-clock time in
 * `timeZone`; `startsAt`/`endsAt` are the UTC instants derived from it, used for
 * windows, number allocation and admission.
 */
export interface Booking {
  id: string;
  /** Conference number dialled by participants (digits, `numberLength` long). */
  number: string;
  organizerId: string;
  title: string;
  /** 1000–9999. Never logged. */
  accessCode: number;
  /** Local date-time `YYYY-MM-DDTHH:MM` in `timeZone`. */
  start: string;
  timeZone: string;
  /** `HH:MM`, 00:30–08:00. */
  duration: string;
  startsAt: string;
  endsAt: string;
  type: ConferenceType;
  /** Connection cap enforced at call time (2–20). */
  estimatedConnections: number;
  comment: string;
  recipients: string[];
  calendarInvite: boolean;
  language: Language;
  status: BookingStatus;
  /** iCalendar SEQUENCE: raised on every change, including cancellation. */
  sequence: number;
  createdAt: string;
  updatedAt: string;
}

/** An organiser: books conferences with a bearer token issued by an admin. */
export interface Organizer {
  id: string;
  name: string;
  email: string;
  /** SHA-256 of the bearer token, hex; the token itself is never stored. */
  tokenHash: string;
  createdAt: string;
}
