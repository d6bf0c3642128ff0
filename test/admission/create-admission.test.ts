import type { Redis } from 'ioredis';
import { createAdmission } from '../../src/admission/create-admission';
import { configSchema } from '../../src/config/config-schema';
import { createLogger } from '../../src/log/logger';
import { createMemoryStore } from '../../src/store/memory-store';
import { listedNumberSpace } from '../../src/store/number-space';
import { createRedisStore } from '../../src/store/redis-store';
import { RedisFixture } from './admission-world';

const redis = new RedisFixture();
beforeAll(() => redis.start());
afterAll(() => redis.stop());

const config = configSchema.parse({ admission: { trustedGateways: ['127.0.0.9'] } });
const log = createLogger('silent');
const numbers = listedNumberSpace(['5387']);
const source = { address: '127.0.0.2', callId: 'c1' };

describe('createAdmission', () => {
  it('keeps admission in memory with the in-process store', async () => {
    const admission = createAdmission({ config, store: createMemoryStore(numbers), log, instanceId: 'solo' });
    expect(admission.instanceId).toBe('solo');
    expect(await admission.lookup('5387', source)).toEqual({ kind: 'unknown' });
  });

  it('shares admission through Redis with the Redis store, and names each instance', async () => {
    const client: Redis = redis.connect();
    const admission = createAdmission({ config, store: createRedisStore(client, numbers), redis: client, log });
    expect(admission.instanceId).toMatch(/-\d+-[0-9a-f]{8}$/);
    expect(await admission.lookup('5387', source)).toEqual({ kind: 'unknown' });
    expect(await client.exists('{confgate}:attempts:source:127.0.0.2')).toBe(1);
  });

  it('refuses a Redis store without its client', () => {
    expect(() => createAdmission({ config, store: createRedisStore(redis.connect(), numbers), log })).toThrow(
      /Redis client/,
    );
  });
});
