import type { Redis } from 'ioredis';
import { connectRedis } from '../../src/store/redis-connection';
import { redisKeys } from '../../src/store/redis-keys';
import { startSentinelGroup, type SentinelGroup } from '../support/redis-sentinel';
import { runSipp } from '../support/sipp';
import { callerScenario } from './support/caller-scenario';
import { book, dialInConfig, eventually, startInstance, startSippMcu, type SippMcu } from './support/dial-in-harness';

/**
 * A real Sentinel failover under live calls: a master, a replica and three sentinels (quorum 2,
 * `down-after-milliseconds` 1000, `failover-timeout` 3000), confgate on `redis+sentinel://`.
 */
describe('dial-in: Redis Sentinel failover', () => {
  let group: SentinelGroup;
  let mcu: SippMcu;
  let client: Redis;

  beforeAll(async () => {
    group = await startSentinelGroup();
    mcu = await startSippMcu('127.0.0.151');
    client = connectRedis(group.url) as Redis;
    client.on('error', () => undefined); // it reconnects through the failover like confgate
  }, 30_000);
  afterAll(async () => {
    client?.disconnect();
    await mcu?.stop();
    await group?.stop();
  });

  /** A 1 s lease renewed every 0.2 s (30 s and 10 s in production): leases run out during the failover. */
  const admission = { leaseSeconds: 1, renewSeconds: 0.2, reapSeconds: 0.2 };

  it('kill -9 of the master with 3 live calls: the replica is promoted, confgate follows, no call dropped, new calls admitted within failover + 2 s, the cap exact after', async () => {
    const instance = await startInstance(dialInConfig(group.url, [mcu.template], {}, admission));
    const { dialIn } = instance;
    instance.redis.on('error', () => undefined); // as src/app/store.ts does: ioredis reports each failed try through the failover
    try {
      const booking = await book(instance.store, { estimatedConnections: 6 });
      const live = (): Promise<number> => client.scard(redisKeys.live(booking.id));
      const held = runSipp({
        scenario: callerScenario({ user: '5387*8688', end: 'hang-up', holdMs: 12_000 }),
        remote: instance.remote,
        localIp: '127.0.0.152',
        calls: 3,
        rate: 20,
        timeoutSec: 30,
      });
      await eventually(async () => (await live()) === 3 && dialIn.legs.size === 3);

      const killedAt = Date.now();
      group.killMaster();
      const promoted = (async () => {
        await eventually(async () => (await group.currentMasterPort()) === group.replicaPort, 15_000);
        return Date.now() - killedAt;
      })();
      // One new caller after another until one reaches the MCU; meanwhile each gets 503 (store down).
      const invitesAtKill = mcu.invites().length;
      let admittedMs: number | undefined;
      const watch = setInterval(() => {
        if (admittedMs === undefined && mcu.invites().length > invitesAtKill) admittedMs = Date.now() - killedAt;
      }, 20);
      let refusedMeanwhile = 0;
      try {
        while (mcu.invites().length === invitesAtKill) {
          if (Date.now() - killedAt > 15_000) throw new Error('no caller admitted within 15 s of the kill');
          const attempt = await runSipp({
            scenario: callerScenario({ user: '5387*8688', end: 'hang-up', orRefused: 503 }),
            remote: instance.remote,
            localIp: '127.0.0.153',
            calls: 1,
            timeoutSec: 10,
          });
          expect(attempt).toMatchObject({ exitCode: 0, successful: 1 });
          if (mcu.invites().length === invitesAtKill) refusedMeanwhile++;
        }
      } finally {
        clearInterval(watch);
      }
      const failoverMs = await promoted;
      console.log(
        `failover: sentinels named the replica master ${failoverMs} ms after kill -9; ` +
          `a new caller reached the MCU after ${admittedMs} ms (${refusedMeanwhile} tries refused meanwhile)`,
      );
      expect(admittedMs).toBeLessThanOrEqual(failoverMs + 2_000);

      // The cap is exact on the new master: 3 held, 3 free slots, a storm of 10.
      await eventually(async () => (await live()) === 3);
      const before = mcu.invites().length;
      const storm = await runSipp({
        scenario: callerScenario({ user: '5387*8688', end: 'hang-up', holdMs: 2_000, orRefused: 486 }),
        remote: instance.remote,
        localIp: '127.0.0.154',
        calls: 10,
        rate: 50,
        timeoutSec: 20,
      });
      expect(storm).toMatchObject({ exitCode: 0, successful: 10, failed: 0 });
      expect(mcu.invites().length - before).toBe(3);

      // The held calls end with the caller's BYE: none was dropped.
      expect(await held).toMatchObject({ exitCode: 0, successful: 3, failed: 0 });
      await eventually(async () => (await live()) === 0 && dialIn.legs.size === 0);
      expect(Date.now() - killedAt).toBeLessThan(60_000);
    } finally {
      await instance.stop();
    }
  }, 60_000);
});
