import type { Booking } from '../booking/booking';
import type { BookingRepository, BookingWindow, EndsWithin } from '../booking/booking-repository';
import { allocateNumber, type NumberSpace } from './number-space';
import { StaleBookingError } from '../booking/repository-errors';

interface Entry {
  booking: Booking;
  window: BookingWindow;
}

function within(b: Booking, ends: EndsWithin = {}): boolean {
  const end = Date.parse(b.endsAt);
  return (ends.from === undefined || end >= ends.from) && (ends.before === undefined || end < ends.before);
}

const byStart = (a: Booking, b: Booking): number =>
  Date.parse(a.startsAt) - Date.parse(b.startsAt) || a.id.localeCompare(b.id);

/**
 * Bookings in this process's memory. Each allocation attempt runs synchronously (no `await`
 * between the check and the write), which makes it atomic within the process, as the Redis
 * script is across processes. Bookings are copied in and out so callers cannot alias them.
 */
export class MemoryBookingRepository implements BookingRepository {
  private readonly entries = new Map<string, Entry>();
  /** Conference number → ids of the active bookings holding it. */
  private readonly holders = new Map<string, Set<string>>();

  constructor(private readonly numbers: NumberSpace) {}

  create(booking: Omit<Booking, 'number'>, window: BookingWindow): Promise<Booking> {
    return this.save(booking, window, undefined);
  }

  update(booking: Omit<Booking, 'number'>, window: BookingWindow): Promise<Booking> {
    return this.save(booking, window, booking.sequence - 1);
  }

  private async save(
    booking: Omit<Booking, 'number'>,
    window: BookingWindow,
    expectedSequence: number | undefined,
  ): Promise<Booking> {
    const check = (): string | undefined => {
      const current = this.entries.get(booking.id);
      if (expectedSequence === undefined && current) throw new StaleBookingError(booking.id, 'exists');
      if (expectedSequence !== undefined && !current) throw new StaleBookingError(booking.id, 'missing');
      if (current && current.booking.sequence !== expectedSequence) throw new StaleBookingError(booking.id, 'changed');
      return current?.booking.number;
    };
    const current = check();
    if (booking.status !== 'active') {
      if (current !== undefined) this.holders.get(current)?.delete(booking.id);
      return this.write({ ...booking, number: current ?? '' }, window);
    }
    const take = (number: string): Booking => {
      if (current !== undefined && current !== number) this.holders.get(current)?.delete(booking.id);
      let set = this.holders.get(number);
      if (!set) this.holders.set(number, (set = new Set()));
      set.add(booking.id);
      return this.write({ ...booking, number }, window);
    };
    if (current !== undefined && this.isFree(current, window, booking.id)) return take(current);
    return allocateNumber(this.numbers, async (candidates) => {
      check(); // another save may have run while we awaited
      const free = candidates.find((n) => this.isFree(n, window, booking.id));
      return free === undefined ? undefined : take(free);
    });
  }

  private isFree(number: string, window: BookingWindow, self: string): boolean {
    for (const id of this.holders.get(number) ?? []) {
      if (id === self) continue;
      const other = this.entries.get(id)!.window;
      if (other.start <= window.end && other.end >= window.start) return false;
    }
    return true;
  }

  private write(booking: Booking, window: BookingWindow): Booking {
    this.entries.set(booking.id, { booking: structuredClone(booking), window: { ...window } });
    return structuredClone(booking);
  }

  async get(id: string): Promise<Booking | undefined> {
    const e = this.entries.get(id);
    return e && structuredClone(e.booking);
  }

  async listByOrganizer(organizerId: string, ends?: EndsWithin): Promise<Booking[]> {
    return this.select((b) => b.organizerId === organizerId && within(b, ends));
  }

  async listAll(ends?: EndsWithin): Promise<Booking[]> {
    return this.select((b) => within(b, ends));
  }

  private select(keep: (b: Booking) => boolean): Booking[] {
    return [...this.entries.values()]
      .map((e) => e.booking)
      .filter(keep)
      .sort(byStart)
      .map((b) => structuredClone(b));
  }

  async findActiveByNumberAt(number: string, at: number): Promise<Booking | undefined> {
    for (const id of this.holders.get(number) ?? []) {
      const e = this.entries.get(id)!;
      if (e.window.start <= at && at <= e.window.end) return structuredClone(e.booking);
    }
    return undefined;
  }
}
