import type { MailQueue } from './mail-queue';
import type { Booking, Organizer } from '../booking/booking';
import type { BookingNotifier, MailStatus, NotificationKind } from '../booking/booking-notifier';
import type { JoinSettings } from '../booking/join-info';
import { confirmationMail } from './confirmation-mail';

export interface ConfirmationNotifierOptions {
  queue: MailQueue;
  join: JoinSettings;
  /** Called once a mail is queued, e.g. to start a worker pass now rather than at the next poll. */
  onQueued?: () => void;
  now?: () => Date;
}

/**
 * The `BookingNotifier` of confgate: composes the confirmation mail (text, HTML, .ics) when the
 * booking changes and queues it in the store. It never talks SMTP, so a mail server's trouble
 * cannot fail or slow down a booking; `MailWorker` sends from the queue.
 */
export class ConfirmationNotifier implements BookingNotifier {
  private readonly now: () => Date;

  constructor(private readonly options: ConfirmationNotifierOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async notify(booking: Booking, organizer: Organizer, kind: NotificationKind): Promise<void> {
    const now = this.now();
    await this.options.queue.enqueue(
      booking.id,
      confirmationMail(booking, organizer, kind, this.options.join, now),
      now.getTime(),
    );
    this.options.onQueued?.();
  }

  status(bookingId: string): Promise<MailStatus> {
    return this.options.queue.status(bookingId);
  }
}
