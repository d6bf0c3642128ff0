import { H323TestCall } from '../support/h323-endpoint/h323-call';
import type { DigitMethod } from '../support/h323-endpoint/user-input';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { book, dialInConfig, eventually, startInstance, startSippMcu, type SippMcu } from './support/dial-in-harness';

/**
 * H.323 callers end to end with the project's own H.323 test endpoint (`test/support/h323-endpoint`):
 * `conf` dialled, number and code keyed by each of the endpoint's methods, with and without fast
 * start, tunnelled and separate H.245; admitted against a booking in a real redis-server and held.
 * Alphanumeric and Keypad keys go without a press length, so the code's first key arrives while the
 * number is still looked up (typed ahead); the Setup's own Keypad IE arrives before the IVR listens.
 */
let redis: RedisServer;
let mcu: SippMcu;
let instance: Awaited<ReturnType<typeof startInstance>>;
let bookingId: string;

beforeAll(async () => {
  redis = await startRedisServer();
  mcu = await startSippMcu('127.0.0.66', 'mcu-answers');
  const config = dialInConfig(redis.url, [mcu.template]);
  instance = await startInstance({ ...config, h323: { ...config.h323, port: 0 } });
  bookingId = (await book(instance.store)).id;
});
afterAll(async () => {
  await instance?.stop();
  await mcu?.stop();
  await redis?.stop();
});

const participants = async (): Promise<number> => (await instance.dialIn.admission.liveParticipants(bookingId)).length;

/**
 * Waits for `call` to be established, lets it key (`keyIn`), expects it admitted and held, hangs
 * up, and returns the call record once the slot is free; a failure carries the endpoint's transcript.
 */
async function admittedAndHeld(call: H323TestCall, keyIn: () => Promise<void>): Promise<unknown> {
  try {
    await call.established();
    await keyIn();
    await eventually(() => instance.dialIn.legs.size === 1, 15_000);
    expect(await participants()).toBe(1);
  } catch (error) {
    throw new Error(`${String(error)}\n${call.transcript()}`, { cause: error });
  } finally {
    await call.hangUp();
  }
  await eventually(() => instance.dialIn.legs.size === 0);
  await eventually(async () => (await participants()) === 0);
  return (await instance.dialIn.records.recent(1))[0];
}

describe('H.323 dial-in with the project endpoint', () => {
  it.each([
    ['h245-alphanumeric', true, true, 'h245-alphanumeric'],
    ['q931-keypad', true, true, 'q931-keypad'],
    ['h245-signal', false, false, 'h245-signal'],
    ['rfc2833', true, true, 'rfc2833'],
    ['inband', true, true, 'inband'],
  ] as const)(
    'conf, keys by %s (fast start %s, tunnelled %s): admitted and held until it hangs up',
    async (method: DigitMethod, fastStart, h245Tunnelling, recorded) => {
      const call = await H323TestCall.place({
        host: '127.0.0.1',
        port: instance.dialIn.h323!.port,
        alias: { 'h323-ID': 'conf' },
        callerName: 'Room 12',
        fastStart,
        h245Tunnelling,
      });
      const record = await admittedAndHeld(call, async () => {
        await call.mediaOpen();
        await call.sendDigits('5387#', method);
        await call.sendDigits('8688#', method);
      });
      expect(record).toMatchObject({
        protocol: 'h323',
        dialled: 'ivr',
        number: '5387',
        dtmf: recorded,
        verdict: 'admitted',
        endedBy: 'caller',
      });
    },
    60_000,
  );

  it("5387 dialled with the code in the Setup's Keypad IE: admitted without keying anything more", async () => {
    const call = await H323TestCall.place({
      host: '127.0.0.1',
      port: instance.dialIn.h323!.port,
      alias: { dialedDigits: '5387' },
      callerName: 'Room 14',
      keypadInSetup: '8688#',
    });
    const record = await admittedAndHeld(call, async () => undefined);
    expect(record).toMatchObject({ dialled: 'code-only', number: '5387', dtmf: 'q931-keypad', verdict: 'admitted' });
  }, 60_000);
});
