import type { Logger } from '../log/logger';
import type { BookingRepository } from '../booking/booking-repository';
import type { LiveLegs } from './live-legs';

/**
 * Ends the calls of conferences that are over: every `intervalMs`, each instance looks at the
 * bookings it has live legs of, and hangs up (BYE with `Reason: SIP;cause=410`) every leg of a
 * booking that is cancelled, deleted, or past its end plus `graceMs`. An instance only ever
 * touches its own legs, so no coordination is needed between instances.
 */
export class BookingEndSweep {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly bookings: BookingRepository,
    private readonly legs: LiveLegs,
    private readonly graceMs: number,
    private readonly intervalMs: number,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.running ??= this.sweep()
        .then(
          () => undefined,
          (err: unknown) => this.log.error({ err }, 'booking end sweep failed'),
        )
        .finally(() => (this.running = undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass; resolves with the number of legs hung up. */
  async sweep(): Promise<number> {
    let hungUp = 0;
    for (const bookingId of this.legs.bookings()) {
      const booking = await this.bookings.get(bookingId);
      const over = !booking || booking.status === 'cancelled' || this.now() > Date.parse(booking.endsAt) + this.graceMs;
      if (!over) continue;
      const n = this.legs.hangUpBooking(bookingId, 'booking-ended');
      this.log.info(
        { bookingId, legs: n, cancelled: booking?.status === 'cancelled' },
        'conference over: hanging up its legs',
      );
      hungUp += n;
    }
    return hungUp;
  }
}
