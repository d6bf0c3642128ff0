/**
 * One endpoint process of `npm run bench:h323-calls`: places `--calls` H.323 calls on loopback to
 * `--port`, `--concurrency` at a time, each a Setup with fastStart and tunnelled H.245 dialling
 * `5387*8688` (number and code in the alias, so confgate admits it at once, H.225.0 §7.3.1), held
 * until Connect, then released with ReleaseComplete (H.225.0 §7.3.9). Several run in parallel so the
 * endpoint's own CPU is not what limits the rate. Prints `ready`, starts on a line on stdin (so
 * start-up is not timed), then prints one JSON {@link WorkerResult} line.
 */
import { H323TestCall } from '../../test/support/h323-endpoint/h323-call';
import { numberOption } from '../support/cli-option';

export interface WorkerResult {
  ok: number;
  failed: number;
  /** this process's own user + system CPU over the calls, ms */
  cpuMs: number;
  /** the first few failures, for the report */
  errors: string[];
}

/** Connect within this long counts as a setup; the bench measures setups, not slow ones. */
const ESTABLISH_TIMEOUT_MS = 10_000;

async function oneCall(port: number): Promise<void> {
  const call = await H323TestCall.place({
    host: '127.0.0.1',
    port,
    alias: { dialedDigits: '5387*8688' },
    fastStart: true,
    h245Tunnelling: true,
  });
  try {
    await call.established(ESTABLISH_TIMEOUT_MS);
  } finally {
    await call.hangUp(16, 2000);
  }
}

async function main(): Promise<void> {
  const port = numberOption('port', 0, true);
  const calls = numberOption('calls', 100, true);
  const concurrency = Math.max(1, numberOption('concurrency', 8, true));
  console.log('ready');
  await new Promise((go) => process.stdin.once('data', go));
  process.stdin.destroy();
  const before = process.cpuUsage();
  const result: WorkerResult = { ok: 0, failed: 0, cpuMs: 0, errors: [] };
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < calls) {
      next++;
      try {
        await oneCall(port);
        result.ok++;
      } catch (e) {
        result.failed++;
        if (result.errors.length < 3) result.errors.push(String(e));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const used = process.cpuUsage(before);
  result.cpuMs = (used.user + used.system) / 1000;
  console.log(JSON.stringify(result));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
