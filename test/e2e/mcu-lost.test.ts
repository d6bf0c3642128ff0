import type { LiveLegs } from '../../src/routing/live-legs';
import { redisKeys } from '../../src/store/redis-keys';
import { runSipp, type SippResult } from '../support/sipp';
import { callerScenario, type CallerPlan } from './support/caller-scenario';
import { book, dialInConfig, eventually, startInstance, startSippMcu, type SippMcu } from './support/dial-in-harness';
import { useRedisAndMcu } from './support/redis-and-mcu';

/** Pings every 200 ms, down after 2 failures: a killed MCU is found down within about a second. */
const quickHealth = { healthIntervalMs: 200, healthTimeoutMs: 300, downAfterFailures: 2, upAfterSuccesses: 1 };

/** One caller from `ip` (loopback): SIPp to completion within 40 s. */
function call(remote: string, ip: string, plan: CallerPlan): Promise<SippResult> {
  return runSipp({ scenario: callerScenario(plan), remote, localIp: ip, calls: 1, timeoutSec: 40 });
}

/** Waits until both callers reached `mcu` and are connected to it (the IVR caller once its hand-over re-INVITE was answered). */
async function bothConnected(legs: LiveLegs, mcu: SippMcu): Promise<string[]> {
  await eventually(() => mcu.invites().length === 2, 20_000);
  const participants = mcu.invites().map((i) => i.participant);
  await eventually(() => participants.every((p) => legs.get(p)?.connectedAt !== undefined), 10_000);
  return participants;
}

/**
 * A lost MCU, end to end (docs/routing.md "A lost MCU"): real redis-server, SIPp callers and SIPp
 * MCUs on loopback; the MCU the conference is on is killed (SIGKILL) with two callers connected
 * through it, one direct dial and one IVR caller.
 */
describe('dial-in: a lost MCU', () => {
  const env = useRedisAndMcu('127.0.0.151');
  const extra: SippMcu[] = [];
  afterEach(async () => {
    await Promise.all(extra.splice(0).map((m) => m.stop('SIGKILL')));
  });

  it('both callers are moved to the second MCU (it sees their INVITEs), then hang up cleanly; the slots are freed', async () => {
    const { redis, client, mcu: second } = env;
    const first = await startSippMcu('127.0.0.152');
    extra.push(first);
    const instance = await startInstance(dialInConfig(redis.url, [first.template, second.template], quickHealth));
    try {
      const booking = await book(instance.store);
      const before = second.invites().length;
      const direct = call(instance.remote, '127.0.0.153', {
        user: '5387*8688',
        midCall: ['answer-reinvite'],
        end: 'hang-up',
      });
      const ivr = call(instance.remote, '127.0.0.154', {
        user: '5387',
        infoDigits: '8688#',
        expectReinvite: true,
        midCall: ['answer-reinvite'],
        end: 'hang-up',
      });
      const firstParticipants = await bothConnected(instance.dialIn.legs, first);
      await first.stop('SIGKILL');
      extra.splice(0);
      expect(await direct).toMatchObject({ exitCode: 0, successful: 1 });
      expect(await ivr).toMatchObject({ exitCode: 0, successful: 1 });
      const moved = second.invites().slice(before);
      expect(moved).toHaveLength(2);
      for (const invite of moved) expect(invite.ruri).toMatch(/^sip:5387@127\.0\.0\.151:/);
      // The same participants, each moved once.
      expect(new Set(moved.map((i) => i.participant))).toEqual(new Set(firstParticipants));
      await eventually(async () => (await client.scard(redisKeys.live(booking.id))) === 0);
      const records = await instance.dialIn.records.recent(2);
      expect(records.map((r) => `${r.mcu} ${r.endedBy}`)).toEqual(['mcu2 caller', 'mcu2 caller']);
      expect(await client.get(redisKeys.placement(booking.id))).toBe('mcu2');
    } finally {
      await instance.stop();
    }
  }, 90_000);

  it('with its only MCU killed, the connected callers get a BYE with Reason 503 No MCU Available', async () => {
    const { redis, client } = env;
    const only = await startSippMcu('127.0.0.155');
    extra.push(only);
    const instance = await startInstance(dialInConfig(redis.url, [only.template], quickHealth));
    try {
      const booking = await book(instance.store);
      const byeReason = 'cause=503;text=&quot;No MCU Available&quot;';
      const direct = call(instance.remote, '127.0.0.156', { user: '5387*8688', end: 'await-bye', byeReason });
      const ivr = call(instance.remote, '127.0.0.157', {
        user: '5387',
        infoDigits: '8688#',
        expectReinvite: true,
        end: 'await-bye',
        byeReason,
      });
      await bothConnected(instance.dialIn.legs, only);
      await only.stop('SIGKILL');
      extra.splice(0);
      expect(await direct).toMatchObject({ exitCode: 0, successful: 1 });
      expect(await ivr).toMatchObject({ exitCode: 0, successful: 1 });
      await eventually(async () => (await client.scard(redisKeys.live(booking.id))) === 0);
      const records = await instance.dialIn.records.recent(2);
      expect(records.map((r) => `${r.mcu} ${r.endedBy}`)).toEqual(['mcu1 mcu-lost', 'mcu1 mcu-lost']);
    } finally {
      await instance.stop();
    }
  }, 90_000);

  it('an INVITE the placed MCU refuses is retried on the other MCU while the conference has no live leg', async () => {
    const { redis, mcu: second } = env;
    const refusing = await startSippMcu('127.0.0.158', 'mcu-refuses');
    extra.push(refusing);
    const instance = await startInstance(dialInConfig(redis.url, [refusing.template, second.template]));
    try {
      const booking = await book(instance.store);
      const before = second.invites().length;
      const r = await call(instance.remote, '127.0.0.159', { user: '5387*8688', end: 'hang-up' });
      expect(r).toMatchObject({ exitCode: 0, successful: 1 });
      expect(refusing.invites()).toHaveLength(1);
      expect(second.invites()).toHaveLength(before + 1);
      const [record] = await instance.dialIn.records.recent(1);
      expect(record).toMatchObject({ verdict: 'admitted', mcu: 'mcu2', endedBy: 'caller' });
      expect(await instance.redis.get(redisKeys.placement(booking.id))).toBe('mcu2');
    } finally {
      await instance.stop();
    }
  }, 60_000);
});
