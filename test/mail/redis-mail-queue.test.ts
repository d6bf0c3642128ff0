import { RedisMailQueue } from '../../src/mail/redis-mail-queue';
import type { RedisClient } from '../../src/store/redis-connection';
import { useRedisServer } from '../support/redis-fixture';
import { mailQueueContract, sampleMail } from './mail-queue-contract';

describe('RedisMailQueue', () => {
  const redisServer = useRedisServer();
  let redis: RedisClient;
  beforeAll(() => {
    redis = redisServer.client();
  });

  mailQueueContract(async () => {
    await redis.flushdb();
    return new RedisMailQueue(redis);
  });

  it('keeps at most the latest finished job of a booking, without its message', async () => {
    await redis.flushdb();
    const queue = new RedisMailQueue(redis);
    const t = Date.parse('2026-11-29T10:00:00Z');
    for (let i = 0; i < 3; i++) {
      await queue.enqueue('b1', sampleMail(`m${i}`), t + i);
      await queue.settle((await queue.claimDue(t + i, 1000))!, { state: 'sent', at: t + i });
    }
    const keys = (await redis.keys('*')).sort();
    expect(keys).toEqual([
      '{confgate:mail}:job:' + (await redis.get('{confgate:mail}:latest:b1')),
      '{confgate:mail}:latest:b1',
    ]);
    expect(await redis.hexists(keys[0]!, 'mail')).toBe(0);
  });

  it('fails a job whose stored message is unreadable instead of handing it out for ever', async () => {
    await redis.flushdb();
    const queue = new RedisMailQueue(redis);
    const t = Date.parse('2026-11-29T10:00:00Z');
    const broken = await queue.enqueue('broken', sampleMail('broken'), t);
    const invalid = await queue.enqueue('invalid', sampleMail('invalid'), t + 1);
    await queue.enqueue('good', sampleMail('good'), t + 2);
    await redis.hset(`{confgate:mail}:job:${broken.id}`, 'mail', '{not json');
    await redis.hset(`{confgate:mail}:job:${invalid.id}`, 'mail', JSON.stringify({ ...sampleMail(), to: [] }));
    const claimed = await queue.claimDue(t + 10, 1000);
    expect(claimed?.bookingId).toBe('good');
    expect(await queue.status('broken')).toMatchObject({
      state: 'failed',
      attempts: 1,
      lastError: expect.stringContaining('not JSON'),
    });
    expect(await queue.status('invalid')).toMatchObject({ state: 'failed', lastError: expect.stringContaining('to:') });
    await queue.settle(claimed!, { state: 'sent', at: t + 20 });
    expect(await queue.claimDue(t + 1_000_000, 1000)).toBeUndefined();
  });
});
