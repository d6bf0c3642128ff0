import type { Logger } from '../log/logger';
import type { BookingRepository } from '../booking/booking-repository';
import type { LiveLegs } from './live-legs';

/**
 * Ends the calls of conferences that are over: every `intervalMs`, each instance looks at the
 * bookings it has live legs of, and hangs up (BYE with `Reason: SIP;cause=410`) every leg of a
 * booking that is cancelled or past its end plus `graceMs`. An instance only ever touches its own
 * legs, so no coordination is needed between instances. A booking the store does not have is not
 * ended: bookings are never deleted (cancelled ones are kept), so it was lost with the store's data
 * (a Redis restarted empty, a failover that lost writes), and its callers must not pay for that.
 */
export class BookingEndSweep {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** Bookings found missing, warned about once until they are found again. */
  private readonly missing = new Set<string>();

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
      if (!booking) {
        if (!this.missing.has(bookingId))
          this.log.warn({ bookingId }, 'live calls of a booking the store does not have: kept (store data lost?)');
        this.missing.add(bookingId);
        continue;
      }
      this.missing.delete(bookingId);
      const over = booking.status === 'cancelled' || this.now() > Date.parse(booking.endsAt) + this.graceMs;
      if (!over) continue;
      const n = this.legs.hangUpBooking(bookingId, 'booking-ended');
      this.log.info(
        { bookingId, legs: n, cancelled: booking.status === 'cancelled' },
        'conference over: hanging up its legs',
      );
      hungUp += n;
    }
    return hungUp;
  }
}
