import { redisKeys } from '../../src/store/redis-keys';
import { listedNumberSpace } from '../../src/store/number-space';
import { createRedisStore } from '../../src/store/redis-store';
import { freeUdpTcpPort, runSipp } from '../support/sipp';
import { callerScenario } from './support/caller-scenario';
import {
  book,
  dialInConfig,
  eventually,
  startChildInstance,
  startInstance,
  type ChildInstance,
} from './support/dial-in-harness';
import { useRedisAndMcu } from './support/redis-and-mcu';

/** MCU health, an instance killed with its calls, and brute-force lockout, end to end. */
describe('dial-in: failures', () => {
  const env = useRedisAndMcu('127.0.0.71');

  const quickHealth = { healthIntervalMs: 200, healthTimeoutMs: 300, downAfterFailures: 2, upAfterSuccesses: 1 };

  it('an MCU that does not answer its pings is marked down and the conference goes to the second MCU; both down → 503 with Retry-After', async () => {
    const { redis, mcu } = env;
    const dead = `sip:{number}@127.0.0.72:${await freeUdpTcpPort('127.0.0.72')}`;
    const instance = await startInstance(dialInConfig(redis.url, [dead, mcu.template], quickHealth));
    try {
      await book(instance.store);
      await eventually(() => !instance.dialIn.pool.health.isUp('mcu1'));
      expect(instance.dialIn.pool.health.isUp('mcu2')).toBe(true);
      const before = mcu.invites().length;
      const r = await runSipp({
        scenario: callerScenario({ user: '5387*8688', end: 'hang-up' }),
        remote: instance.remote,
        localIp: '127.0.0.73',
        calls: 1,
        timeoutSec: 20,
      });
      expect(r).toMatchObject({ exitCode: 0, successful: 1 });
      expect(mcu.invites()).toHaveLength(before + 1);
    } finally {
      await instance.stop();
    }
    const dead2 = `sip:{number}@127.0.0.74:${await freeUdpTcpPort('127.0.0.74')}`;
    const none = await startInstance(dialInConfig(redis.url, [dead, dead2], quickHealth));
    try {
      await eventually(() => !none.dialIn.pool.anyUp());
      const r = await runSipp({
        scenario: callerScenario({ user: '5387*8688', end: 503, refusalHeader: 'Retry-After: *30' }),
        remote: none.remote,
        localIp: '127.0.0.75',
        calls: 1,
        timeoutSec: 20,
      });
      expect(r).toMatchObject({ exitCode: 0, successful: 1 });
      const [record] = await none.dialIn.records.recent(1);
      expect(record).toMatchObject({ verdict: 'abandoned', endedBy: 'no-mcu', sipStatus: 503 });
    } finally {
      await none.stop();
    }
  }, 60_000);

  it('kill -9 of an instance holding 3 legs: within the lease time its slots are free again', async () => {
    const { redis, client, mcu } = env;
    const admission = { leaseSeconds: 3, renewSeconds: 1, reapSeconds: 0.5 };
    const config = dialInConfig(redis.url, [mcu.template], {}, admission);
    const instances: ChildInstance[] = [await startChildInstance(config), await startChildInstance(config)];
    try {
      const booking = await book(createRedisStore(client, listedNumberSpace(['5387'])));
      // Three callers on the first instance, who would stay 20 s.
      const callers = runSipp({
        scenario: callerScenario({ user: '5387*8688', end: 'hang-up', holdMs: 20000 }),
        remote: instances[0]!.remote,
        localIp: '127.0.0.76',
        calls: 3,
        rate: 20,
        timeoutSec: 8,
      });
      await eventually(async () => (await client.scard(`{confgate}:live:${booking.id}`)) === 3);
      const killedAt = Date.now();
      await instances[0]!.stop(true);
      await eventually(async () => (await client.scard(`{confgate}:live:${booking.id}`)) === 0, 10_000);
      expect(Date.now() - killedAt).toBeLessThan((admission.leaseSeconds + 2 * admission.reapSeconds + 1) * 1000);
      await callers;
    } finally {
      await Promise.all(instances.map((i) => i.stop()));
    }
  }, 60_000);

  it('brute force: a source sweeping codes is locked out after 5 wrong codes while another source still gets in', async () => {
    const { redis, client, mcu } = env;
    const instance = await startInstance(dialInConfig(redis.url, [mcu.template]));
    try {
      await book(instance.store);
      for (const code of ['1001', '1002', '1003', '1004', '1005', '1006', '8688']) {
        const r = await runSipp({
          scenario: callerScenario({ user: `5387*${code}`, end: 403 }),
          remote: instance.remote,
          localIp: '127.0.0.77',
          calls: 1,
          timeoutSec: 10,
        });
        expect(r).toMatchObject({ exitCode: 0, successful: 1 });
      }
      const other = await runSipp({
        scenario: callerScenario({ user: '5387*8688', end: 'hang-up' }),
        remote: instance.remote,
        localIp: '127.0.0.78',
        calls: 1,
        timeoutSec: 10,
      });
      expect(other).toMatchObject({ exitCode: 0, successful: 1 });
      const entries = await client.xrange(redisKeys.callRecords(), '-', '+');
      const verdicts = entries.map(([, f]) => `${f[f.indexOf('source') + 1]} ${f[f.indexOf('verdict') + 1]}`);
      expect(verdicts).toEqual([
        ...Array(5).fill('127.0.0.77 wrong-code'),
        // Past the limit even the right code is not checked.
        '127.0.0.77 too-many-attempts',
        '127.0.0.77 too-many-attempts',
        '127.0.0.78 admitted',
      ]);
    } finally {
      await instance.stop();
    }
  }, 60_000);
});
