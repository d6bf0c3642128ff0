import { runSipp } from '../support/sipp';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { callerScenario } from './support/caller-scenario';
import { book, dialInConfig, eventually, startInstance, startSippMcu, type SippMcu } from './support/dial-in-harness';

/** What happens during a connected call: relayed requests, and the booking's end. */
describe('dial-in: during the call', () => {
  let redis: RedisServer;
  let mcu: SippMcu;
  let instance: Awaited<ReturnType<typeof startInstance>>;

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterEach(async () => {
    await instance?.stop();
    await mcu?.stop();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('an INFO picture fast update, a re-INVITE and an UPDATE (RFC 3311) from the caller are relayed to the MCU, and the MCU answer SDP comes back', async () => {
    mcu = await startSippMcu('127.0.0.81', 'mcu-relay');
    instance = await startInstance(dialInConfig(redis.url, [mcu.template]));
    await book(instance.store);
    // The caller's scenario fails unless the 200 to its UPDATE carries the MCU's answer (o=mcu 1 3).
    const r = await runSipp({
      scenario: callerScenario({ user: '5387*8688', midCall: ['fast-update', 'reinvite', 'update'], end: 'hang-up' }),
      remote: instance.remote,
      localIp: '127.0.0.82',
      calls: 1,
      timeoutSec: 20,
    });
    expect(r).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    await eventually(() => mcu.logLines().some((l) => l.includes('RELAYED UPDATE')));
    expect(
      mcu
        .logLines()
        .filter((l) => /RELAYED/.test(l))
        .map((l) => l.trim()),
    ).toEqual(['RELAYED INFO', 'RELAYED REINVITE', 'RELAYED UPDATE']);
    await eventually(() => instance.dialIn.legs.size === 0);
  });

  it('a booking cancelled during the call: the caller gets a BYE from the booking-end sweep and the slot is freed', async () => {
    mcu = await startSippMcu('127.0.0.83');
    instance = await startInstance(dialInConfig(redis.url, [mcu.template], { sweepIntervalMs: 200 }));
    await instance.redis.flushall(); // a fresh Redis for each test: number 5387 is free again
    const booking = await book(instance.store);
    const call = runSipp({
      scenario: callerScenario({ user: '5387*8688', end: 'await-bye' }),
      remote: instance.remote,
      localIp: '127.0.0.84',
      calls: 1,
      timeoutSec: 20,
    });
    await eventually(() => instance.dialIn.legs.size === 1);
    const { number: _n, ...rest } = booking;
    await instance.store.bookings.update(
      { ...rest, status: 'cancelled', sequence: booking.sequence + 1 },
      { start: 0, end: 1 },
    );
    expect(await call).toMatchObject({ exitCode: 0, successful: 1 });
    await eventually(() => instance.dialIn.legs.size === 0);
    expect(await instance.dialIn.admission.liveParticipants(booking.id)).toEqual([]);
    const [record] = await instance.dialIn.records.recent(1);
    expect(record).toMatchObject({ verdict: 'admitted', endedBy: 'booking-ended' });
  });

  it('a caller who CANCELs while the MCU rings: the ringback reached the caller, the MCU INVITE is cancelled, the slot is freed', async () => {
    mcu = await startSippMcu('127.0.0.85', 'mcu-rings');
    instance = await startInstance(dialInConfig(redis.url, [mcu.template]));
    await instance.redis.flushall();
    const booking = await book(instance.store);
    const r = await runSipp({
      scenario: callerScenario({ user: '5387*8688', end: 'cancel' }),
      remote: instance.remote,
      localIp: '127.0.0.86',
      calls: 1,
      timeoutSec: 20,
    });
    expect(r).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    await eventually(() => mcu.logLines().some((l) => l.includes('CANCELLED')));
    await eventually(() => instance.dialIn.legs.size === 0);
    expect(await instance.dialIn.admission.liveParticipants(booking.id)).toEqual([]);
    const [record] = await instance.dialIn.records.recent(1);
    expect(record).toMatchObject({ verdict: 'admitted', endedBy: 'cancel', sipStatus: 487 });
  });

  it('an admin kick hangs the call up with a Reason and frees the slot', async () => {
    mcu = await startSippMcu('127.0.0.87');
    instance = await startInstance(dialInConfig(redis.url, [mcu.template]));
    await instance.redis.flushall();
    const booking = await book(instance.store);
    const call = runSipp({
      scenario: callerScenario({ user: '5387*8688', end: 'await-bye' }),
      remote: instance.remote,
      localIp: '127.0.0.88',
      calls: 1,
      timeoutSec: 20,
    });
    await eventually(() => instance.dialIn.legs.size === 1);
    const [participant] = await instance.dialIn.admission.liveParticipants(booking.id);
    expect(instance.dialIn.kick(participant!.participantId)).toBe(true);
    expect(await call).toMatchObject({ exitCode: 0, successful: 1 });
    expect(await instance.dialIn.admission.liveParticipants(booking.id)).toEqual([]);
    const [record] = await instance.dialIn.records.recent(1);
    expect(record).toMatchObject({ endedBy: 'kick' });
    expect(instance.dialIn.kick(participant!.participantId)).toBe(false);
  });

  it('a participant whose lease another instance reaped (this one stalled) is hung up: it no longer holds a slot', async () => {
    mcu = await startSippMcu('127.0.0.89');
    instance = await startInstance(
      dialInConfig(redis.url, [mcu.template], {}, { leaseSeconds: 5, renewSeconds: 0.3, reapSeconds: 0.3 }),
    );
    await instance.redis.flushall();
    const booking = await book(instance.store);
    const call = runSipp({
      scenario: callerScenario({ user: '5387*8688', end: 'await-bye' }),
      remote: instance.remote,
      localIp: '127.0.0.90',
      calls: 1,
      timeoutSec: 20,
    });
    await eventually(() => instance.dialIn.legs.size === 1);
    const [participant] = await instance.dialIn.admission.liveParticipants(booking.id);
    // What another instance's reaper does to an expired lease (docs/admission.md): the participant no longer counts,
    // and its slot is marked revoked, so its instance ends the call instead of re-asserting it.
    const id = participant!.participantId;
    await instance.redis
      .multi()
      .zadd('{confgate}:revoked', Date.now(), id)
      .zrem('{confgate}:leases', id)
      .srem(`{confgate}:live:${booking.id}`, id)
      .del(`{confgate}:participant:${id}`)
      .exec();
    expect(await call).toMatchObject({ exitCode: 0, successful: 1 });
    const [record] = await instance.dialIn.records.recent(1);
    expect(record).toMatchObject({ endedBy: 'lease-lost' });
  });

  it('a re-INVITE, an UPDATE (RFC 3311) and an INFO picture fast update from the MCU reach the caller, and the caller answers go back', async () => {
    mcu = await startSippMcu('127.0.0.93', 'mcu-sends-requests');
    instance = await startInstance(dialInConfig(redis.url, [mcu.template]));
    await instance.redis.flushall();
    const booking = await book(instance.store);
    // The caller's scenario fails unless the UPDATE carries the MCU's offer (o=mcu 1 4) and the INFO its media_control+xml body.
    const r = await runSipp({
      scenario: callerScenario({
        user: '5387*8688',
        expectReinvite: true,
        midCall: ['answer-update', 'answer-info'],
        end: 'hang-up',
      }),
      remote: instance.remote,
      localIp: '127.0.0.94',
      calls: 1,
      timeoutSec: 20,
    });
    expect(r).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    // The MCU's scenario checks that the 200 to its UPDATE carries the caller's answer (o=sipp 1 4).
    await eventually(() => mcu.logLines().some((l) => l.includes('INFO ANSWERED')));
    expect(
      mcu
        .logLines()
        .filter((l) => /ANSWERED/.test(l))
        .map((l) => l.trim()),
    ).toEqual(['REINVITE ANSWERED', 'UPDATE ANSWERED', 'INFO ANSWERED']);
    await eventually(() => instance.dialIn.legs.size === 0);
    expect(await instance.dialIn.admission.liveParticipants(booking.id)).toEqual([]);
  });

  it('an MCU that refuses the INVITE (404): the caller gets 503 with Retry-After, the slot is freed', async () => {
    mcu = await startSippMcu('127.0.0.97', 'mcu-refuses');
    instance = await startInstance(dialInConfig(redis.url, [mcu.template]));
    await instance.redis.flushall();
    const booking = await book(instance.store);
    const r = await runSipp({
      scenario: callerScenario({ user: '5387*8688', end: 503, refusalHeader: 'Retry-After: *30' }),
      remote: instance.remote,
      localIp: '127.0.0.98',
      calls: 1,
      timeoutSec: 20,
    });
    expect(r).toMatchObject({ exitCode: 0, successful: 1 });
    expect(mcu.invites()).toHaveLength(1);
    await eventually(() => instance.dialIn.legs.size === 0);
    expect(await instance.dialIn.admission.liveParticipants(booking.id)).toEqual([]);
    const [record] = await instance.dialIn.records.recent(1);
    expect(record).toMatchObject({ verdict: 'admitted', endedBy: 'mcu-failure', sipStatus: 503, mcu: 'mcu1' });
  });

  it('IVR path, the MCU refuses the hand-over INVITE: the caller gets a BYE (after the "service unavailable" prompt, not checked on the wire); slot and dialogs freed', async () => {
    mcu = await startSippMcu('127.0.0.99', 'mcu-refuses');
    instance = await startInstance(dialInConfig(redis.url, [mcu.template]));
    await instance.redis.flushall();
    const booking = await book(instance.store);
    const r = await runSipp({
      scenario: callerScenario({ user: '5387', infoDigits: '8688#', end: 'await-bye' }),
      remote: instance.remote,
      localIp: '127.0.0.100',
      calls: 1,
      timeoutSec: 40,
    });
    expect(r).toMatchObject({ exitCode: 0, successful: 1 });
    expect(mcu.invites()).toHaveLength(1);
    await eventually(() => instance.dialIn.legs.size === 0);
    expect(await instance.dialIn.admission.liveParticipants(booking.id)).toEqual([]);
    const [record] = await instance.dialIn.records.recent(1);
    expect(record).toMatchObject({ dialled: 'code-only', verdict: 'admitted', endedBy: 'mcu-failure', sipStatus: 503 });
    await eventually(() => instance.dialIn.srf.stats.dialogs === 0);
  }, 60_000);
});
