/**
 * A fully rendered message as the queue keeps it: the worker sends it as is, so a job never
 * depends on the booking still looking the way it did when the mail was composed.
 */
export interface OutgoingMail {
  to: string[];
  /** Where answers go: the organiser, not the machine that sent the mail. */
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
  /** An iCalendar object sent as the text/calendar alternative (RFC 6047 §2.4). */
  calendar?: { method: 'REQUEST' | 'CANCEL'; content: string };
}
