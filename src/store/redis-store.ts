import type { NumberSpace } from './number-space';
import type { RedisClient } from './redis-connection';
import { RedisBookingRepository } from './redis-booking-repository';
import { RedisOrganizerRepository } from './redis-organizer-repository';
import type { Store } from './store';

/** The store on Redis; `close()` ends the connection (the caller created it). */
export function createRedisStore(redis: RedisClient, numbers: NumberSpace): Store {
  return {
    kind: 'redis',
    bookings: new RedisBookingRepository(redis, numbers),
    organizers: new RedisOrganizerRepository(redis),
    ping: async () => {
      await redis.ping();
    },
    close: async () => {
      await redis.quit();
    },
  };
}
