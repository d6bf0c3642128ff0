import type { Booking } from '../booking/booking';
import type { BookingRepository, BookingWindow, EndsWithin } from '../booking/booking-repository';
import { allocateNumber, type NumberSpace } from './number-space';
import type { RedisClient } from './redis-connection';
import { redisKeys } from './redis-keys';
import { saveBookingScript } from './redis-booking-scripts';
import { StaleBookingError } from '../booking/repository-errors';

type WithSave = RedisClient & {
  confgateSaveBooking(k1: string, k2: string, k3: string, ...args: string[]): Promise<string>;
};

const byStart = (a: Booking, b: Booking): number =>
  Date.parse(a.startsAt) - Date.parse(b.startsAt) || a.id.localeCompare(b.id);

/** Bookings in Redis; key layout in `redis-keys.ts` and `docs/store.md`. */
export class RedisBookingRepository implements BookingRepository {
  private readonly redis: WithSave;

  constructor(
    redis: RedisClient,
    private readonly numbers: NumberSpace,
  ) {
    if (!('confgateSaveBooking' in redis))
      redis.defineCommand('confgateSaveBooking', { numberOfKeys: 3, lua: saveBookingScript });
    this.redis = redis as WithSave;
  }

  create(booking: Omit<Booking, 'number'>, window: BookingWindow): Promise<Booking> {
    return this.save(booking, window, '');
  }

  update(booking: Omit<Booking, 'number'>, window: BookingWindow): Promise<Booking> {
    return this.save(booking, window, String(booking.sequence - 1));
  }

  private async save(input: Omit<Booking, 'number'>, window: BookingWindow, expected: string): Promise<Booking> {
    const { number: _drop, ...booking } = input as Booking;
    const run = async (candidates: string[]): Promise<string | undefined> => {
      try {
        return await this.redis.confgateSaveBooking(
          redisKeys.booking(booking.id),
          redisKeys.organizerBookings(booking.organizerId),
          redisKeys.allBookings(),
          booking.id,
          JSON.stringify(booking),
          booking.status,
          String(booking.sequence),
          expected,
          String(window.start),
          String(window.end),
          String(Date.parse(booking.endsAt)),
          booking.organizerId,
          redisKeys.number(''),
          redisKeys.booking(''),
          ...candidates,
        );
      } catch (e) {
        const message = (e as Error).message;
        if (message.includes('CONFGATE_NO_FREE_NUMBER')) return undefined;
        if (message.includes('CONFGATE_EXISTS')) throw new StaleBookingError(booking.id, 'exists');
        if (message.includes('CONFGATE_MISSING')) throw new StaleBookingError(booking.id, 'missing');
        if (message.includes('CONFGATE_CHANGED')) throw new StaleBookingError(booking.id, 'changed');
        throw e;
      }
    };
    const number = await allocateNumber(this.numbers, run);
    return { ...booking, number };
  }

  async get(id: string): Promise<Booking | undefined> {
    const [data, number] = await this.redis.hmget(redisKeys.booking(id), 'data', 'number');
    if (data === null || number === null) return undefined;
    return { ...(JSON.parse(data) as Omit<Booking, 'number'>), number };
  }

  private async getMany(ids: string[]): Promise<Booking[]> {
    const found = await Promise.all(ids.map((id) => this.get(id)));
    return found.filter((b): b is Booking => b !== undefined).sort(byStart);
  }

  private async idsEnding(key: string, ends: EndsWithin = {}): Promise<string[]> {
    return this.redis.zrangebyscore(key, ends.from ?? '-inf', ends.before === undefined ? '+inf' : `(${ends.before}`);
  }

  async listByOrganizer(organizerId: string, ends?: EndsWithin): Promise<Booking[]> {
    return this.getMany(await this.idsEnding(redisKeys.organizerBookings(organizerId), ends));
  }

  async listAll(ends?: EndsWithin): Promise<Booking[]> {
    return this.getMany(await this.idsEnding(redisKeys.allBookings(), ends));
  }

  /** Windows on one number never overlap, so the first active booking ending at or after `at` is the only candidate. */
  async findActiveByNumberAt(number: string, at: number): Promise<Booking | undefined> {
    const [id] = await this.redis.zrangebyscore(redisKeys.number(number), at, '+inf', 'LIMIT', 0, 1);
    if (id === undefined) return undefined;
    const windowStart = await this.redis.hget(redisKeys.booking(id), 'windowStart');
    if (windowStart === null || Number(windowStart) > at) return undefined;
    return this.get(id);
  }
}
