// Runs inside `unshare -n` (only loopback up): SIPp's RFC 2833 captures are foreign test vectors, so
// the product that receives them runs in a private network namespace. Dials conf@, plays 5387# and
// 8688# from the captures, and prints one JSON line with what the caller, the MCU and confgate saw.
import { runSipp } from '../../support/sipp';
import { startRedisServer } from '../../support/redis-server';
import { callerScenario } from './caller-scenario';
import { book, dialInConfig, eventually, startInstance, startSippMcu } from './dial-in-harness';

async function main(): Promise<void> {
  const redis = await startRedisServer();
  const mcu = await startSippMcu('127.0.0.91', 'mcu-hangs-up');
  const instance = await startInstance(dialInConfig(redis.url, [mcu.template]));
  try {
    const booking = await book(instance.store);
    const caller = await runSipp({
      scenario: callerScenario({ user: 'conf', rtpDigits: '5387#8688#', expectReinvite: true, end: 'await-bye' }),
      remote: instance.remote,
      localIp: '127.0.0.92',
      calls: 1,
      timeoutSec: 40,
    });
    await eventually(() => instance.dialIn.legs.size === 0).catch(() => undefined);
    const live = await instance.dialIn.admission.liveParticipants(booking.id);
    const [record] = await instance.dialIn.records.recent(1);
    process.stdout.write(
      `${JSON.stringify({ caller: { exitCode: caller.exitCode, successful: caller.successful }, invites: mcu.invites(), live: live.length, record })}\n`,
    );
  } finally {
    await instance.stop();
    await mcu.stop();
    await redis.stop();
  }
}

void main().catch((err: unknown) => {
  process.stderr.write(`rfc4733 driver failed: ${String(err)}\n`);
  process.exit(1);
});
