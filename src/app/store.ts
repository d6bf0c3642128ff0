import type { Config } from '../config/config-schema';
import type { Logger } from '../log/logger';
import { createMemoryStore } from '../store/memory-store';
import { digitsNumberSpace } from '../store/number-space';
import { connectRedis, type RedisClient } from '../store/redis-connection';
import { createRedisStore } from '../store/redis-store';
import type { Store } from '../store/store';

/** `redis://user:secret@host` → `redis://***@host`, for logs. */
function withoutCredentials(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

/**
 * The store for `redisUrl`: Redis, whose client the other Redis services share, or without it the
 * in-process store, loudly logged since nothing is persisted or shared.
 */
export function openStore(config: Config, log: Logger): { store: Store; redis: RedisClient | undefined } {
  const numbers = digitsNumberSpace(config.booking.numberLength);
  if (!config.redisUrl) {
    log.warn(
      'REDIS_URL is not set: using the IN-PROCESS store. Bookings and queued mail are NOT persisted (lost on restart) ' +
        'and NOT shared with other confgate instances. Set REDIS_URL for production.',
    );
    return { store: createMemoryStore(numbers), redis: undefined };
  }
  const redis = connectRedis(config.redisUrl);
  let healthy = true;
  // ioredis reports every failed reconnect; log the transitions, not each retry.
  redis.on('error', (e: Error) => {
    if (healthy) log.error({ err: e.message }, 'Redis unreachable; retrying');
    healthy = false;
  });
  redis.on('ready', () => {
    if (!healthy) log.info('Redis reachable again');
    healthy = true;
  });
  log.info({ redis: withoutCredentials(config.redisUrl) }, 'using the Redis store');
  return { store: createRedisStore(redis, numbers), redis };
}
