import type { Redis } from 'ioredis';
import { redisKeys } from '../../src/store/redis-keys';
import { runSipp } from '../support/sipp';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { callerScenario } from './support/caller-scenario';
import { book, dialInConfig, eventually, startInstance, startSippMcu, type SippMcu } from './support/dial-in-harness';

/** confgate's dial-in end to end: real Redis, SIPp as the caller, SIPp as the MCU, all on loopback. */
describe('dial-in: number and code in the Request-URI (direct path)', () => {
  let redis: RedisServer;
  let mcu: SippMcu;
  let instance: Awaited<ReturnType<typeof startInstance>>;

  beforeAll(async () => {
    redis = await startRedisServer();
    mcu = await startSippMcu('127.0.0.21');
    instance = await startInstance(dialInConfig(redis.url, [mcu.template]));
    await book(instance.store, { number: '4242', redis: instance.redis, startsAtMs: Date.now() + 3 * 3_600_000 });
    await book(instance.store, { number: '4343', redis: instance.redis, startsAtMs: Date.now() - 3 * 3_600_000 });
  });
  afterAll(async () => {
    await instance?.stop();
    await mcu?.stop();
    await redis?.stop();
  });

  it('5387*8688@ reaches the MCU with the conference number in the Request-URI; the caller hangs up and the slot is freed', async () => {
    const booking = await book(instance.store);
    const r = await runSipp({
      scenario: callerScenario({ user: '5387*8688', end: 'hang-up' }),
      remote: instance.remote,
      localIp: '127.0.0.22',
      calls: 1,
      timeoutSec: 20,
    });
    expect(r).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    const invites = mcu.invites();
    expect(invites).toHaveLength(1);
    expect(invites[0]!.ruri).toBe(`sip:5387@${mcu.template.split('@')[1]}`);
    expect(invites[0]!.participant).toMatch(/^[0-9a-f-]{36}$/);
    // The MCU shows the caller: its display name (a token run, RFC 3261 §25.1: no quotes needed) and number in the From, at our address.
    expect(invites[0]!.from).toBe('Ada Lovelace <sip:0601020304@127.0.0.1>');
    await eventually(() => instance.dialIn.legs.size === 0);
    await eventually(async () => (await instance.dialIn.admission.liveParticipants(booking.id)).length === 0);
    const [record] = await instance.dialIn.records.recent(1);
    expect(record).toMatchObject({
      dialled: 'direct',
      number: '5387',
      verdict: 'admitted',
      mcu: 'mcu1',
      endedBy: 'caller',
      participantId: invites[0]!.participant,
    });
    expect(await (instance.redis as Redis).xlen(redisKeys.callRecords())).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ['an unknown number', '9999*8688', 404, '127.0.0.31'],
    ['a wrong code', '5387*1111', 403, '127.0.0.32'],
    ['a conference not open yet', '4242*8688', 480, '127.0.0.33'],
    ['a conference that has ended', '4343*8688', 410, '127.0.0.34'],
    ['an incomplete number', '53*8688', 484, '127.0.0.35'],
  ])('%s is refused before any answer (%s → %i), nothing reaches the MCU', async (_what, user, status, ip) => {
    const before = mcu.invites().length;
    const r = await runSipp({
      scenario: callerScenario({ user, end: status }),
      remote: instance.remote,
      localIp: ip,
      calls: 1,
      timeoutSec: 15,
    });
    expect(r).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    expect(mcu.invites()).toHaveLength(before);
    expect(instance.dialIn.legs.size).toBe(0);
  });

  it('a locked conference answers 403, a full one 486; the slots taken are the cap', async () => {
    const booking = await book(instance.store, { number: '4444', redis: instance.redis, estimatedConnections: 2 });
    await instance.dialIn.admission.setLocked(booking.id, true);
    const locked = await runSipp({
      scenario: callerScenario({ user: '4444*8688', end: 403 }),
      remote: instance.remote,
      localIp: '127.0.0.36',
      calls: 1,
      timeoutSec: 15,
    });
    expect(locked).toMatchObject({ exitCode: 0, successful: 1 });
    await instance.dialIn.admission.setLocked(booking.id, false);
    // Two callers hold the two slots while a third is refused as full.
    const holding = runSipp({
      scenario: callerScenario({ user: '4444*8688', end: 'hang-up', holdMs: 3000 }),
      remote: instance.remote,
      localIp: '127.0.0.37',
      calls: 2,
      rate: 10,
      timeoutSec: 20,
    });
    await eventually(() => instance.dialIn.legs.size === 2);
    const full = await runSipp({
      scenario: callerScenario({ user: '4444*8688', end: 486 }),
      remote: instance.remote,
      localIp: '127.0.0.38',
      calls: 1,
      timeoutSec: 15,
    });
    expect(full).toMatchObject({ exitCode: 0, successful: 1 });
    expect(await holding).toMatchObject({ exitCode: 0, successful: 2 });
    await eventually(async () => (await instance.dialIn.admission.liveParticipants(booking.id)).length === 0);
  });
});
