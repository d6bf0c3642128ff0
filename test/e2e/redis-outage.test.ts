import { redisKeys } from '../../src/store/redis-keys';
import { runSipp } from '../support/sipp';
import { callerScenario } from './support/caller-scenario';
import { book, dialInConfig, eventually, startInstance } from './support/dial-in-harness';
import { useRedisAndMcu } from './support/redis-and-mcu';

/** Live calls held by SIPp through a frozen Redis (SIGSTOP), far longer than the lease: none is hung up. */
describe('dial-in: a Redis outage', () => {
  const env = useRedisAndMcu('127.0.0.141');

  const admission = { leaseSeconds: 1, renewSeconds: 0.2, reapSeconds: 0.2 };
  /**
   * The booking-end sweep runs often, so it looks at the bookings during and after the outage too: a booking
   * the store lost (the empty restart) must not end its calls.
   */
  const sweep = { sweepIntervalMs: 200 };

  /**
   * Holds 3 calls for 9 s, runs `outage` (4 s long) during them, then places one more call: all 4
   * must end with the caller's BYE (none hung up by confgate) and every slot be free at the end.
   */
  async function throughOutage(outage: (bookingAgain: () => Promise<void>) => Promise<void>): Promise<void> {
    const { redis, client, mcu } = env;
    const instance = await startInstance(dialInConfig(redis.url, [mcu.template], sweep, admission));
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
      await outage(async () => {
        const { number: _number, ...same } = booking;
        await book(instance.store, { ...same, startsAtMs: Date.parse(booking.startsAt) });
      });
      await eventually(async () => (await live()) === 3); // re-asserted, if the store lost them
      const after = await runSipp({
        scenario: callerScenario({ user: '5387*8688', end: 'hang-up' }),
        remote: instance.remote,
        localIp: '127.0.0.143',
        calls: 1,
        timeoutSec: 10,
      });
      expect(after).toMatchObject({ exitCode: 0, successful: 1 });
      expect(await callers).toMatchObject({ exitCode: 0, successful: 3 });
      await eventually(async () => (await live()) === 0);
    } finally {
      await instance.stop();
    }
  }

  it('frozen (SIGSTOP) 4 s with a 1 s lease: 3 held calls end with the caller’s BYE, a call after it is admitted, every slot is freed', async () => {
    await throughOutage(async () => {
      env.redis.freeze();
      await new Promise((r) => setTimeout(r, 4_000));
      env.redis.thaw();
    });
  }, 60_000);

  it('stopped 4 s and restarted empty (no persistence): the held calls are re-asserted and end normally', async () => {
    await throughOutage(async (bookingAgain) => {
      await env.redis.stop();
      await new Promise((r) => setTimeout(r, 4_000));
      await env.redis.restart();
      await bookingAgain(); // the booking was lost with the data, as the operator would restore it
    });
  }, 60_000);
});
