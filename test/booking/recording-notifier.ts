import type { Booking, Organizer } from '../../src/booking/booking';
import type { BookingNotifier, MailStatus, NotificationKind } from '../../src/booking/booking-notifier';

/**
 * A small, real `BookingNotifier` for booking and HTTP tests: records each notification (a
 * copy of the booking as it was) and reports `pending` for notified bookings. It can be told to
 * fail, to prove a notifier failure never fails a booking. Mail itself is tested in `test/mail`.
 */
export class RecordingNotifier implements BookingNotifier {
  readonly calls: Array<{ booking: Booking; organizer: Organizer; kind: NotificationKind }> = [];
  failWith: Error | undefined;

  async notify(booking: Booking, organizer: Organizer, kind: NotificationKind): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.calls.push({ booking: structuredClone(booking), organizer: { ...organizer }, kind });
  }

  async status(bookingId: string): Promise<MailStatus> {
    const count = this.calls.filter((c) => c.booking.id === bookingId).length;
    return count === 0 ? { state: 'none', attempts: 0 } : { state: 'pending', attempts: 0 };
  }

  kinds(bookingId: string): NotificationKind[] {
    return this.calls.filter((c) => c.booking.id === bookingId).map((c) => c.kind);
  }
}
