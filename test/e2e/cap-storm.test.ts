import type { Redis } from 'ioredis';
import { redisKeys } from '../../src/store/redis-keys';
import { listedNumberSpace } from '../../src/store/number-space';
import { connectRedis } from '../../src/store/redis-connection';
import { createRedisStore } from '../../src/store/redis-store';
import { runSipp } from '../support/sipp';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { callerScenario } from './support/caller-scenario';
import {
  book,
  dialInConfig,
  eventually,
  startChildInstance,
  startSippMcu,
  type ChildInstance,
  type SippMcu,
} from './support/dial-in-harness';

/** Verdicts of the call records written so far. */
async function verdicts(redis: Redis): Promise<string[]> {
  const entries = await redis.xrange(redisKeys.callRecords(), '-', '+');
  return entries.map(([, f]) => f[f.indexOf('verdict') + 1]!);
}

/** The connection cap across two confgate processes sharing one Redis. */
describe('dial-in: the cap under a storm, two instances', () => {
  let redis: RedisServer;
  let client: Redis;
  let mcu: SippMcu;
  let instances: ChildInstance[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    client = connectRedis(redis.url) as Redis;
    mcu = await startSippMcu('127.0.0.51');
  });
  afterAll(async () => {
    await Promise.all(instances.map((i) => i.stop()));
    await mcu?.stop();
    await client?.quit();
    await redis?.stop();
  });

  it('60 simultaneous callers to a conference capped at 5: exactly 5 reach the MCU, 55 are refused as full, then new callers get in', async () => {
    const config = dialInConfig(redis.url, [mcu.template]);
    instances = [await startChildInstance(config), await startChildInstance(config)];
    const booking = await book(createRedisStore(client, listedNumberSpace(['5387'])), { estimatedConnections: 5 });
    const storm = callerScenario({ user: '5387*8688', end: 'hang-up', holdMs: 4000, orRefused: 486 });
    const runs = instances.map((inst, i) =>
      runSipp({
        scenario: storm,
        remote: inst.remote,
        localIp: `127.0.0.${52 + i}`,
        calls: 30,
        rate: 50,
        timeoutSec: 40,
      }),
    );
    const results = await Promise.all(runs);
    for (const r of results) expect(r).toMatchObject({ exitCode: 0, failed: 0, successful: 30 });
    expect(mcu.invites()).toHaveLength(5);
    const v = await verdicts(client);
    expect(v.filter((x) => x === 'admitted')).toHaveLength(5);
    expect(v.filter((x) => x === 'full')).toHaveLength(55);
    // The 5 hung up: the slots are free, and new callers get in.
    await eventually(async () => (await client.scard(`{confgate}:live:${booking.id}`)) === 0);
    const after = await runSipp({
      scenario: callerScenario({ user: '5387*8688', end: 'hang-up' }),
      remote: instances[1]!.remote,
      localIp: '127.0.0.54',
      calls: 2,
      rate: 10,
      timeoutSec: 20,
    });
    expect(after).toMatchObject({ exitCode: 0, successful: 2 });
    expect(mcu.invites()).toHaveLength(7);
  }, 90_000);
});
