import type { Redis } from 'ioredis';
import { connectRedis } from '../../../src/store/redis-connection';
import { startRedisServer, type RedisServer } from '../../support/redis-server';
import { startSippMcu, type SippMcu } from './dial-in-harness';

/** What an e2e file runs its instances against: one redis-server, a client on it, one SIPp MCU. */
export interface RedisAndMcu {
  redis: RedisServer;
  client: Redis;
  mcu: SippMcu;
}

/**
 * Starts a redis-server, a client and a SIPp MCU on `mcuAddress` (loopback) for the file
 * (`beforeAll`), empties the store before each test, and stops all three (`afterAll`; a frozen
 * server is thawed first). Call at the top of a `describe`; read the fields inside tests.
 */
export function useRedisAndMcu(mcuAddress: string): RedisAndMcu {
  const env = {} as RedisAndMcu;
  beforeAll(async () => {
    env.redis = await startRedisServer();
    env.client = connectRedis(env.redis.url) as Redis;
    env.mcu = await startSippMcu(mcuAddress);
  });
  afterAll(async () => {
    env.redis?.thaw();
    await env.mcu?.stop();
    await env.client?.quit();
    await env.redis?.stop();
  });
  beforeEach(async () => {
    await env.client.flushall();
  });
  return env;
}
