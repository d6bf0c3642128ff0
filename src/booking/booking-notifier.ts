import type { Booking, Organizer } from './booking';

/** Why a confirmation goes out. `cancelled` carries an iCalendar METHOD:CANCEL. */
export type NotificationKind = 'created' | 'updated' | 'cancelled' | 'resend';

/** Where a booking's confirmation mail stands; shown with the booking. */
export interface MailStatus {
  state: 'none' | 'pending' | 'sent' | 'retrying' | 'failed';
  attempts: number;
  lastError?: string;
  lastAttemptAt?: string;
  sentAt?: string;
}

/**
 * The seam between booking and mail. `notify` only queues (in the store) and resolves once the
 * job is durable; SMTP trouble never reaches the caller, so sending can never lose or block a booking.
 */
export interface BookingNotifier {
  notify(booking: Booking, organizer: Organizer, kind: NotificationKind): Promise<void>;
  status(bookingId: string): Promise<MailStatus>;
}
