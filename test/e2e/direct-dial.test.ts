import type { Redis } from 'ioredis';
import { CALL_RECORD_STREAM } from '../../src/routing/call-record';
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
  });
  afterAll(async () => {
    await instance?.stop();
    await mcu?.stop();
    await redis?.stop();
  });

  it('5387*8688@ reaches the MCU with the conference number in the Request-URI; the caller hangs up and the slot is freed', async () => {
    const booking = await book(instance.store);
    const r = await runSipp({ scenario: callerScenario({ user: '5387*8688', end: 'hang-up' }), remote: instance.remote, localIp: '127.0.0.22', calls: 1, timeoutSec: 20 });
    expect(r).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    const invites = mcu.invites();
    expect(invites).toHaveLength(1);
    expect(invites[0]!.ruri).toBe(`sip:5387@${mcu.template.split('@')[1]}`);
    expect(invites[0]!.participant).toMatch(/^[0-9a-f-]{36}$/);
    await eventually(() => instance.dialIn.legs.size === 0);
    await eventually(async () => (await instance.dialIn.admission.liveParticipants(booking.id)).length === 0);
    const [record] = await instance.dialIn.records.recent(1);
    expect(record).toMatchObject({ dialled: 'direct', number: '5387', verdict: 'admitted', mcu: 'mcu1', endedBy: 'caller', participantId: invites[0]!.participant });
    expect(await (instance.redis as Redis).xlen(CALL_RECORD_STREAM)).toBeGreaterThanOrEqual(1);
  });
});
