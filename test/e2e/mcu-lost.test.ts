import type { LiveLegs } from '../../src/routing/live-legs';
import { redisKeys } from '../../src/store/redis-keys';
import { prompts } from '../ivr/support/ivr-endpoint';
import { UdpPeer } from '../media/support/udp-peer';
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

  it('with its only MCU killed, each connected caller is re-INVITEd to confgate, hears why, then gets a BYE with Reason 503 No MCU Available', async () => {
    const { redis, client } = env;
    const only = await startSippMcu('127.0.0.155');
    extra.push(only);
    const instance = await startInstance(dialInConfig(redis.url, [only.template], quickHealth));
    // Where each caller's answer to confgate's re-INVITE asks for the RTP: counted here.
    const ears = await Promise.all(['127.0.0.156', '127.0.0.157'].map((ip) => UdpPeer.open('udp4', ip)));
    try {
      const booking = await book(instance.store);
      const byeReason = 'cause=503;text=&quot;No MCU Available&quot;';
      const lastWords = { midCall: ['answer-reinvite'] as const, end: 'await-bye' as const, byeReason };
      const direct = call(instance.remote, '127.0.0.156', {
        user: '5387*8688',
        ...lastWords,
        reinviteMediaPort: ears[0]!.port,
      });
      const ivr = call(instance.remote, '127.0.0.157', {
        user: '5387',
        infoDigits: '8688#',
        expectReinvite: true,
        ...lastWords,
        reinviteMediaPort: ears[1]!.port,
      });
      await bothConnected(instance.dialIn.legs, only);
      await only.stop('SIGKILL');
      extra.splice(0);
      expect(await direct).toMatchObject({ exitCode: 0, successful: 1 });
      expect(await ivr).toMatchObject({ exitCode: 0, successful: 1 });
      // "The service is temporarily unavailable", "goodbye" (the booking's English): 20 ms G.711 packets,
      // in the μ-law the caller offered (RTP/AVP 0), before the BYE.
      const message = ['unavailable', 'goodbye'] as const;
      const packets = message.reduce((n, id) => n + prompts.get('en', id).durationMs / 20, 0);
      for (const ear of ears) {
        const rtp = ear.datagrams.filter((d) => d.length === 12 + 160 && (d[1]! & 0x7f) === 0);
        expect(rtp.length).toBeGreaterThanOrEqual(packets);
      }
      await eventually(async () => (await client.scard(redisKeys.live(booking.id))) === 0);
      const records = await instance.dialIn.records.recent(2);
      expect(records.map((r) => `${r.mcu} ${r.endedBy}`)).toEqual(['mcu1 mcu-lost', 'mcu1 mcu-lost']);
    } finally {
      await Promise.all(ears.map((ear) => ear.close()));
      await instance.stop();
    }
  }, 90_000);

  it('with its only MCU killed, a caller refusing the re-INVITE to confgate gets the BYE with the Reason at once, and no RTP', async () => {
    const { redis, client } = env;
    const only = await startSippMcu('127.0.0.162');
    extra.push(only);
    const instance = await startInstance(dialInConfig(redis.url, [only.template], quickHealth));
    const ear = await UdpPeer.open('udp4', '127.0.0.163');
    try {
      const booking = await book(instance.store);
      const caller = call(instance.remote, '127.0.0.163', {
        user: '5387*8688',
        midCall: ['refuse-reinvite'],
        reinviteMediaPort: ear.port,
        end: 'await-bye',
        byeReason: 'cause=503;text=&quot;No MCU Available&quot;',
      });
      await eventually(() => only.invites().length === 1, 20_000);
      const participant = only.invites()[0]!.participant;
      await eventually(() => instance.dialIn.legs.get(participant)?.connectedAt !== undefined, 10_000);
      await only.stop('SIGKILL');
      extra.splice(0);
      expect(await caller).toMatchObject({ exitCode: 0, successful: 1 });
      expect(ear.datagrams).toHaveLength(0);
      await eventually(async () => (await client.scard(redisKeys.live(booking.id))) === 0);
      const [record] = await instance.dialIn.records.recent(1);
      expect(record).toMatchObject({ mcu: 'mcu1', endedBy: 'mcu-lost' });
    } finally {
      await ear.close();
      await instance.stop();
    }
  }, 60_000);

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
