import { runSipp } from '../support/sipp';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { ensureH323Plus, H323PLUS_BUILD_TIMEOUT_MS, runH323PlusCall } from '../support/h323plus';
import { needsShared, sharedPresent } from '../support/shared-files';
import { callerScenario } from './support/caller-scenario';
import { book, dialInConfig, eventually, startInstance, startSippMcu, type SippMcu } from './support/dial-in-harness';

/**
 * H.323 callers end to end, against H323Plus (a real, independent H.323 stack): the IVR collects
 * number and code by each H.323 key path, admission runs against a booking in a real redis-server,
 * and an admitted caller is held in its conference (no H.323 MCU bridge yet) until it hangs up.
 * H323Plus is built once into its cache where `../shared` is there; the tests are skipped (counted) where not.
 */
let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
  if (sharedPresent) await ensureH323Plus();
}, H323PLUS_BUILD_TIMEOUT_MS);
afterAll(async () => {
  await redis?.stop();
});

needsShared(describe)('H.323 dial-in with H323Plus', () => {
  let mcu: SippMcu;
  let instance: Awaited<ReturnType<typeof startInstance>>;
  let bookingId: string;
  let port: number;

  beforeAll(async () => {
    mcu = await startSippMcu('127.0.0.61', 'mcu-answers');
    const config = dialInConfig(redis.url, [mcu.template]);
    // H323Plus takes its own RTP ports from 40000 up on the same loopback: confgate's media stays clear of them.
    const media = { ...config.media, rtpPortMin: 47000, rtpPortMax: 47999 };
    instance = await startInstance({ ...config, media, h323: { ...config.h323, port: 0 } });
    port = instance.dialIn.h323!.port;
    bookingId = (await book(instance.store)).id;
  });
  afterAll(async () => {
    await instance?.stop();
    await mcu?.stop();
  });

  it.each([
    ['alphanumeric, fast start, tunnelled', 'alphanumeric', [], 'h245-alphanumeric'],
    ['signal, slow start, separate H.245', 'signal', ['-F', '-T'], 'h245-signal'],
    ['Q.931 Keypad', 'q931', [], 'q931-keypad'],
    ['RFC 2833', 'rfc2833', [], 'rfc2833'],
  ] as const)(
    'conf by %s: admitted, held in the conference, freed when the caller hangs up',
    async (_what, mode, options, dtmf) => {
      const call = runH323PlusCall({
        host: '127.0.0.1',
        port,
        digits: '5387#8688#',
        holdSeconds: 8,
        uiMode: mode,
        calledAlias: 'conf',
        options,
      });
      await eventually(async () => (await instance.dialIn.admission.liveParticipants(bookingId)).length === 1, 20_000);
      // Admission writes the participant before the call opens its leg: both, in that order.
      await eventually(() => instance.dialIn.legs.size === 1);
      const result = await call;
      expect(result.exitCode).toBe(0);
      await eventually(() => instance.dialIn.legs.size === 0);
      await eventually(async () => (await instance.dialIn.admission.liveParticipants(bookingId)).length === 0);
      const [record] = await instance.dialIn.records.recent(1);
      expect(record).toMatchObject({ dialled: 'ivr', number: '5387', dtmf, verdict: 'admitted', endedBy: 'caller' });
      // The caller was never put through to an MCU: nothing reached it.
      expect(mcu.invites()).toHaveLength(0);
    },
    60_000,
  );

  it('5387*8688 as alias: admitted at once, without the IVR', async () => {
    const result = await runH323PlusCall({
      host: '127.0.0.1',
      port,
      digits: '',
      holdSeconds: 3,
      calledAlias: '5387*8688',
    });
    expect(result.exitCode).toBe(0);
    await eventually(() => instance.dialIn.legs.size === 0);
    const [record] = await instance.dialIn.records.recent(1);
    expect(record).toMatchObject({ dialled: 'direct', number: '5387', verdict: 'admitted', endedBy: 'caller' });
  }, 30_000);

  it('a wrong code three times: spoken, then Release Complete with cause 21 (call rejected)', async () => {
    const result = await runH323PlusCall({
      host: '127.0.0.1',
      port,
      digits: '1111#2222#3333#',
      holdSeconds: 30,
      calledAlias: '5387',
      options: ['-g', '700', '--allow-remote-clear'],
    });
    expect(result.transcript).toMatch(/q931cause=21/);
    const [record] = await instance.dialIn.records.recent(1);
    expect(record).toMatchObject({ dialled: 'code-only', verdict: 'wrong-code', endedBy: 'refused' });
    expect(instance.dialIn.legs.size).toBe(0);
  }, 60_000);
});

needsShared(describe)('one conference, SIP and H.323 callers mixed', () => {
  let mcu: SippMcu;
  let instance: Awaited<ReturnType<typeof startInstance>>;

  beforeAll(async () => {
    mcu = await startSippMcu('127.0.0.63', 'mcu-answers');
    const config = dialInConfig(redis.url, [mcu.template]);
    const media = { ...config.media, rtpPortMin: 47000, rtpPortMax: 47999 };
    instance = await startInstance({ ...config, media, h323: { ...config.h323, port: 0 } });
  });
  afterAll(async () => {
    await instance?.stop();
    await mcu?.stop();
  });

  it('a cap of 2 counts both: a held H.323 caller and a SIP caller fill it, the next of either kind is refused "full"', async () => {
    // Its own number: the conference of 5387 above is booked in this Redis for the same hour.
    const booking = await book(instance.store, { number: '4646', redis: instance.redis, estimatedConnections: 2 });
    const participants = async (): Promise<number> =>
      (await instance.dialIn.admission.liveParticipants(booking.id)).length;
    const port = instance.dialIn.h323!.port;
    const h323 = runH323PlusCall({ host: '127.0.0.1', port, digits: '', holdSeconds: 14, calledAlias: '4646*8688' });
    await eventually(async () => (await participants()) === 1, 15_000);
    const sip = runSipp({
      scenario: callerScenario({ user: '4646*8688', end: 'hang-up', holdMs: 9000 }),
      remote: instance.remote,
      localIp: '127.0.0.64',
      calls: 1,
      timeoutSec: 30,
    });
    await eventually(async () => (await participants()) === 2, 15_000);
    const refusedH323 = await runH323PlusCall({
      host: '127.0.0.1',
      port,
      digits: '',
      holdSeconds: 1,
      calledAlias: '4646*8688',
    });
    expect(refusedH323.exitCode).toBe(2);
    expect(refusedH323.transcript).toMatch(/q931cause=17/);
    const refusedSip = await runSipp({
      scenario: callerScenario({ user: '4646*8688', end: 486 }),
      remote: instance.remote,
      localIp: '127.0.0.65',
      calls: 1,
      timeoutSec: 20,
    });
    expect(refusedSip).toMatchObject({ exitCode: 0, successful: 1 });
    expect(await participants()).toBe(2);
    expect(await sip).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    expect((await h323).exitCode).toBe(0);
    await eventually(async () => (await participants()) === 0);
  }, 60_000);
});
