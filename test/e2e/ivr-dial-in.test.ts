import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promptManifestSchema, PROMPT_MANIFEST_FILE } from '../../src/ivr/prompt-manifest';
import { runSipp } from '../support/sipp';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { callerScenario, INFO_DIGIT_INTERVAL_MS } from './support/caller-scenario';
import { book, dialInConfig, eventually, startInstance, startSippMcu, type SippMcu } from './support/dial-in-harness';

/**
 * The IVR path end to end: the caller is answered by confgate's IVR, keys the digits by SIP INFO,
 * and is then moved to the MCU by the RFC 3725 hand-over (offerless INVITE to the MCU, re-INVITE
 * of the caller with the MCU's offer, ACK to the MCU with the caller's answer).
 */
const manifest = promptManifestSchema.parse(
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'prompts', PROMPT_MANIFEST_FILE), 'utf8')),
);

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

describe('dial-in through the IVR', () => {
  let mcu: SippMcu;
  let instance: Awaited<ReturnType<typeof startInstance>>;
  let bookingId: string;

  beforeAll(async () => {
    mcu = await startSippMcu('127.0.0.41', 'mcu-hangs-up');
    instance = await startInstance(dialInConfig(redis.url, [mcu.template]));
    bookingId = (await book(instance.store)).id;
  });
  afterAll(async () => {
    await instance?.stop();
    await mcu?.stop();
  });

  it.each([
    ['5387@ with the code by SIP INFO', '5387', '8688#', '127.0.0.42'],
    ['conf@ with number and code by SIP INFO', 'conf', '5387#8688#', '127.0.0.43'],
  ])(
    '%s: re-INVITEd to the MCU, which hangs up; the IVR ports and the slot are freed',
    async (_what, user, digits, ip) => {
      const before = mcu.invites().length;
      const r = await runSipp({
        scenario: callerScenario({ user, infoDigits: digits, expectReinvite: true, end: 'await-bye' }),
        remote: instance.remote,
        localIp: ip,
        calls: 1,
        timeoutSec: 40,
      });
      expect(r).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
      const invites = mcu.invites().slice(before);
      expect(invites).toHaveLength(1);
      expect(invites[0]!.ruri).toBe(`sip:5387@${mcu.template.split('@')[1]}`);
      expect(invites[0]!.from).toBe('Ada Lovelace <sip:0601020304@127.0.0.1>');
      await eventually(() => instance.dialIn.legs.size === 0);
      await eventually(async () => (await instance.dialIn.admission.liveParticipants(bookingId)).length === 0);
      await eventually(() => instance.dialIn.srf.stats.dialogs === 0);
      const [record] = await instance.dialIn.records.recent(1);
      expect(record).toMatchObject({
        dialled: user === 'conf' ? 'ivr' : 'code-only',
        number: '5387',
        dtmf: 'sip-info',
        verdict: 'admitted',
        mcu: 'mcu1',
        endedBy: 'mcu',
      });
    },
    60_000,
  );

  it('a wrong code three times: goodbye and BYE, nothing reaches the MCU, the call record says wrong-code', async () => {
    const before = mcu.invites().length;
    const r = await runSipp({
      scenario: callerScenario({ user: '5387', infoDigits: '1111#2222#3333#', end: 'await-bye' }),
      remote: instance.remote,
      localIp: '127.0.0.44',
      calls: 1,
      timeoutSec: 60,
    });
    expect(r).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    expect(mcu.invites()).toHaveLength(before);
    await eventually(() => instance.dialIn.srf.stats.dialogs === 0);
    const [record] = await instance.dialIn.records.recent(1);
    expect(record).toMatchObject({ dialled: 'code-only', number: '5387', verdict: 'wrong-code', endedBy: 'refused' });
  }, 80_000);
});

/**
 * Admission's refusals on the IVR path: the caller dials `conf@`, keys number and code by SIP INFO,
 * hears the verdict and goodbye, and gets confgate's BYE whose `Reason` carries the verdict's status
 * (docs/routing.md); no INVITE reaches the MCU and no slot is taken.
 */
describe('IVR verdicts after number and code', () => {
  let mcu: SippMcu;
  let instance: Awaited<ReturnType<typeof startInstance>>;
  const HOUR = 3_600_000;

  beforeAll(async () => {
    // An MCU that keeps its calls until the caller hangs up: the callers filling a conference stay connected.
    mcu = await startSippMcu('127.0.0.45');
    instance = await startInstance(dialInConfig(redis.url, [mcu.template]));
  });
  afterAll(async () => {
    await instance?.stop();
    await mcu?.stop();
  });

  /** How long a clip of the booking's language (`en`) plays. */
  const clipMs = (id: string): number => manifest.clips.en[id]!.durationMs;

  /**
   * One `conf@` caller keying `number` and the right code, refused with `verdict`: confgate's BYE carries
   * `cause` and comes only after the verdict and goodbye prompts have played (the record's duration
   * covers the keying and both clips), nothing reached the MCU, the call record has the verdict.
   */
  async function refusedIvrCall(
    number: string,
    verdict: 'not-open' | 'ended' | 'locked' | 'full',
    cause: number,
    ip: string,
  ): Promise<void> {
    const before = mcu.invites().length;
    const digits = `${number}#8688#`;
    const r = await runSipp({
      scenario: callerScenario({ user: 'conf', infoDigits: digits, end: 'await-bye', byeReason: `cause=${cause}` }),
      remote: instance.remote,
      localIp: ip,
      calls: 1,
      timeoutSec: 30,
    });
    expect(r).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    expect(mcu.invites()).toHaveLength(before);
    const record = (await instance.dialIn.records.recent(20)).find((c) => c.source === ip);
    expect(record).toMatchObject({ dialled: 'ivr', number, verdict, endedBy: 'refused' });
    expect(record!.durationMs).toBeGreaterThanOrEqual(
      digits.length * INFO_DIGIT_INTERVAL_MS + clipMs(verdict) + clipMs('goodbye'),
    );
  }

  it.each([
    ['not open yet', 'not-open', '4242', 480, Date.now() + 3 * HOUR, '127.0.0.46'],
    ['ended', 'ended', '4343', 410, Date.now() - 3 * HOUR, '127.0.0.47'],
  ] as const)(
    'a conference %s: verdict and goodbye, BYE, nothing reaches the MCU, the call record says %s',
    async (_what, verdict, number, cause, startsAtMs, ip) => {
      const booking = await book(instance.store, { number, redis: instance.redis, startsAtMs });
      await refusedIvrCall(number, verdict, cause, ip);
      expect(await instance.dialIn.admission.liveParticipants(booking.id)).toEqual([]);
      await eventually(() => instance.dialIn.srf.stats.dialogs === 0);
    },
    40_000,
  );

  it('a conference an admin locked: verdict and goodbye, BYE, nothing reaches the MCU, the call record says locked', async () => {
    const booking = await book(instance.store, { number: '4444', redis: instance.redis });
    await instance.dialIn.admission.setLocked(booking.id, true);
    await refusedIvrCall('4444', 'locked', 403, '127.0.0.48');
    expect(await instance.dialIn.admission.liveParticipants(booking.id)).toEqual([]);
  }, 40_000);

  it('a conference full with callers already connected: "full", goodbye, BYE; the connected callers keep their slots', async () => {
    const booking = await book(instance.store, { number: '4545', redis: instance.redis, estimatedConnections: 2 });
    const holding = runSipp({
      scenario: callerScenario({ user: '4545*8688', end: 'await-bye' }),
      remote: instance.remote,
      localIp: '127.0.0.49',
      calls: 2,
      rate: 10,
      timeoutSec: 40,
    });
    await eventually(
      async () =>
        (await instance.dialIn.admission.liveParticipants(booking.id)).length === 2 && instance.dialIn.legs.size === 2,
    );
    await refusedIvrCall('4545', 'full', 486, '127.0.0.50');
    const live = await instance.dialIn.admission.liveParticipants(booking.id);
    expect(live).toHaveLength(2);
    expect(instance.dialIn.legs.size).toBe(2);
    // The two connected callers are hung up by an admin kick: both slots come back.
    for (const p of live) expect(instance.dialIn.kick(p.participantId)).toBe(true);
    expect(await holding).toMatchObject({ exitCode: 0, successful: 2, failed: 0 });
    await eventually(
      async () =>
        (await instance.dialIn.admission.liveParticipants(booking.id)).length === 0 && instance.dialIn.legs.size === 0,
    );
  }, 60_000);
});
