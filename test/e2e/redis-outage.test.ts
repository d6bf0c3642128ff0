import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promptManifestSchema, PROMPT_MANIFEST_FILE } from '../../src/ivr/prompt-manifest';
import { redisKeys } from '../../src/store/redis-keys';
import { runSipp } from '../support/sipp';
import { callerScenario, INFO_DIGIT_INTERVAL_MS } from './support/caller-scenario';
import { book, dialInConfig, eventually, startInstance } from './support/dial-in-harness';
import { useRedisAndMcu } from './support/redis-and-mcu';

const manifest = promptManifestSchema.parse(
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'prompts', PROMPT_MANIFEST_FILE), 'utf8')),
);
/** How long a clip of the booking's language (`en`) plays. */
const clipMs = (id: string): number => manifest.clips.en[id]!.durationMs;

/** Live calls held by SIPp through a frozen Redis (SIGSTOP), far longer than the lease: none is hung up. */
describe('dial-in: a Redis outage', () => {
  const env = useRedisAndMcu('127.0.0.141');

  /** Time scaled down: a 1 s lease (30 s in production) renewed and reaped every 0.2 s, so the 4 s outage is 4 leases. */
  const admission = { leaseSeconds: 1, renewSeconds: 0.2, reapSeconds: 0.2 };
  /**
   * The booking-end sweep runs often, so it looks at the bookings during and after the outage too: a booking
   * the store lost (the empty restart) must not end its calls.
   */
  const sweep = { sweepIntervalMs: 200 };

  /**
   * Holds 3 calls for 9 s and has one caller in the IVR, runs `outage` (4 s long) during them, then places
   * one more call. During the outage the IVR caller hears "service unavailable" and is released with
   * `Reason: SIP;cause=503`, and a direct dial gets 503 with Retry-After at once; the call after it is admitted
   * within 2 s of the store's return; the 3 held calls end with the caller's BYE (none hung up by confgate)
   * and every slot is free at the end.
   */
  async function throughOutage(
    outage: (during: () => Promise<void>, bookingAgain: () => Promise<void>) => Promise<void>,
  ): Promise<void> {
    const { redis, client, mcu } = env;
    const instance = await startInstance(dialInConfig(redis.url, [mcu.template], sweep, admission));
    const { dialIn } = instance;
    try {
      const booking = await book(instance.store, { estimatedConnections: 4 });
      const live = (): Promise<number> => client.scard(redisKeys.live(booking.id));
      const callers = runSipp({
        scenario: callerScenario({ user: '5387*8688', end: 'hang-up', holdMs: 9_000 }),
        remote: instance.remote,
        localIp: '127.0.0.142',
        calls: 3,
        rate: 20,
        timeoutSec: 20,
      });
      await eventually(async () => (await live()) === 3);
      await eventually(() => dialIn.legs.size === 3 && dialIn.srf.stats.dialogs === 6);
      // The IVR caller keys its number once the outage has begun: its lookup cannot be decided.
      const ivrCaller = runSipp({
        scenario: callerScenario({ user: 'conf', infoDigits: '5387#', end: 'await-bye', byeReason: 'cause=503' }),
        remote: instance.remote,
        localIp: '127.0.0.145',
        calls: 1,
        timeoutSec: 30,
      });
      await eventually(() => dialIn.srf.stats.dialogs === 7);
      const answeredAt = Date.now();
      await outage(
        async () => {
          const since = Date.now();
          await eventually(() => !dialIn.storeHealth.up, 3_000);
          const detectedMs = Date.now() - since;
          const sent = Date.now();
          const refused = await runSipp({
            scenario: callerScenario({ user: '5387*8688', end: 503, refusalHeader: 'Retry-After: *[0-9]+' }),
            remote: instance.remote,
            localIp: '127.0.0.144',
            calls: 1,
            timeoutSec: 10,
          });
          const refusedMs = Date.now() - sent;
          console.log(`store down seen after ${detectedMs} ms; a direct dial refused in ${refusedMs} ms (SIPp run)`);
          expect(refused).toMatchObject({ exitCode: 0, successful: 1 });
          expect(detectedMs).toBeLessThan(2_000);
          expect(refusedMs).toBeLessThan(1_500);
        },
        async () => {
          const { number: _number, ...same } = booking;
          await book(instance.store, { ...same, startsAtMs: Date.parse(booking.startsAt) });
        },
      );
      const returnedAt = Date.now();
      await eventually(async () => (await live()) === 3); // re-asserted, if the store lost them
      const invitesBefore = mcu.invites().length;
      let admittedMs: number | undefined;
      const watch = setInterval(() => {
        if (admittedMs === undefined && mcu.invites().length > invitesBefore) admittedMs = Date.now() - returnedAt;
      }, 20);
      const after = await runSipp({
        scenario: callerScenario({ user: '5387*8688', end: 'hang-up' }),
        remote: instance.remote,
        localIp: '127.0.0.143',
        calls: 1,
        timeoutSec: 10,
      }).finally(() => clearInterval(watch));
      console.log(`a call after the outage reached the MCU ${admittedMs} ms after the store returned`);
      expect(after).toMatchObject({ exitCode: 0, successful: 1 });
      expect(admittedMs).toBeLessThan(2_000);
      // "Service unavailable" and goodbye were played whole before the BYE (no barge-in on them).
      expect(await ivrCaller).toMatchObject({ exitCode: 0, successful: 1 });
      expect(Date.now() - answeredAt).toBeGreaterThanOrEqual(
        5 * INFO_DIGIT_INTERVAL_MS + clipMs('unavailable') + clipMs('goodbye'),
      );
      expect(await callers).toMatchObject({ exitCode: 0, successful: 3 });
      await eventually(async () => (await live()) === 0);
      expect(dialIn.storeHealth.up).toBe(true);
    } finally {
      await instance.stop();
    }
  }

  it('frozen (SIGSTOP) 4 s with a 1 s lease: 3 held calls end with the caller’s BYE, new calls refused, a call after it is admitted, every slot is freed', async () => {
    await throughOutage(async (during) => {
      env.redis.freeze();
      const outage = new Promise((r) => setTimeout(r, 4_000));
      await during();
      await outage;
      env.redis.thaw();
    });
  }, 60_000);

  it('stopped 4 s and restarted empty (no persistence): the held calls are re-asserted and end normally', async () => {
    await throughOutage(async (during, bookingAgain) => {
      await env.redis.stop();
      const outage = new Promise((r) => setTimeout(r, 4_000));
      await during();
      await outage;
      await env.redis.restart();
      await bookingAgain(); // the booking was lost with the data, as the operator would restore it
    });
  }, 60_000);
});
