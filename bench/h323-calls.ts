/**
 * H.323 call setup benchmark (`npm run bench:h323-calls`): the test endpoint (test/support/h323-endpoint)
 * places calls with fastStart and tunnelled H.245 against an H.323 answerer on loopback, each call
 * Setup → Connect → ReleaseComplete, a fixed number of them in flight. Reports setups per second and
 * the answerer's CPU milliseconds per setup (utime + stime from /proc/<pid>/stat). Issue 13's target for
 * confgate is ≥ 300 setups/s on one core.
 *
 *   npm run bench:h323-calls                                   # against H323Plus answer.sh (built if needed)
 *   npm run bench:h323-calls -- --target 127.0.0.1:1720 --pid 1234   # against a running confgate
 *
 * Options: --calls N (default 300), --concurrency N (default 8). Loopback targets only.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { freePort } from '../test/support/free-port';
import { H323PlusAnswerer } from '../test/support/h323plus';
import { H323TestCall } from '../test/support/h323-endpoint/h323-call';

/** Linux USER_HZ: /proc reports CPU time in these ticks (100 on every Linux architecture Node runs on). */
const TICKS_PER_SECOND = 100;

/** utime + stime of a process in ms (proc(5): fields 14 and 15, counted after the parenthesised name). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

interface Result {
  calls: number;
  failed: number;
  seconds: number;
  setupsPerSecond: number;
  cpuMsPerSetup?: number;
  /** the endpoint's own CPU per setup: it must stay well below the target's to measure the target */
  endpointCpuMsPerSetup: number;
}

/** One call: Setup with fastStart and tunnelling, wait for Connect, ReleaseComplete. */
async function oneCall(host: string, port: number): Promise<boolean> {
  const call = await H323TestCall.place({ host, port, alias: { dialedDigits: '5387' } });
  try {
    await call.established(5000);
    return true;
  } catch {
    return false;
  } finally {
    await call.hangUp(16, 1000);
  }
}

async function run(
  host: string,
  port: number,
  pid: number | undefined,
  calls: number,
  concurrency: number,
): Promise<Result> {
  const cpuBefore = pid === undefined ? undefined : cpuMs(pid);
  const ownBefore = process.cpuUsage();
  const start = performance.now();
  let next = 0;
  let failed = 0;
  const worker = async (): Promise<void> => {
    while (next < calls) {
      next++;
      if (!(await oneCall(host, port))) failed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - start) / 1000;
  const done = calls - failed;
  const own = process.cpuUsage(ownBefore);
  const result: Result = {
    calls,
    failed,
    seconds,
    setupsPerSecond: done / seconds,
    endpointCpuMsPerSetup: (own.user + own.system) / 1000 / Math.max(done, 1),
  };
  if (pid !== undefined && cpuBefore !== undefined && done > 0) result.cpuMsPerSetup = (cpuMs(pid) - cpuBefore) / done;
  return result;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      target: { type: 'string' },
      pid: { type: 'string' },
      calls: { type: 'string', default: '300' },
      concurrency: { type: 'string', default: '8' },
    },
  });
  let answerer: H323PlusAnswerer | undefined;
  let host = '127.0.0.1';
  let port: number;
  let pid = values.pid === undefined ? undefined : Number(values.pid);
  let target: string;
  if (values.target) {
    const m = /^(127\.\d+\.\d+\.\d+):(\d+)$/.exec(values.target);
    if (!m) throw new Error(`--target must be a loopback host:port, got ${values.target}`);
    host = m[1]!;
    port = Number(m[2]);
    target = `${values.target}${pid === undefined ? ' (no --pid: CPU not measured)' : ` (pid ${pid})`}`;
  } else {
    answerer = await H323PlusAnswerer.start(await freePort());
    port = answerer.port;
    pid = answerer.pid;
    target = `H323Plus answer.sh on 127.0.0.1:${port}`;
  }
  try {
    const r = await run(host, port, pid, Number(values.calls), Number(values.concurrency));
    const cpu = r.cpuMsPerSetup === undefined ? 'not measured' : `${r.cpuMsPerSetup.toFixed(2)} ms`;
    console.log(`target: ${target}; ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}`);
    console.log(`| calls | in flight | failed | seconds | setups/s | target CPU per setup | endpoint CPU per setup |`);
    console.log(`| ---: | ---: | ---: | ---: | ---: | ---: | ---: |`);
    console.log(
      `| ${r.calls} | ${values.concurrency} | ${r.failed} | ${r.seconds.toFixed(2)} | ${r.setupsPerSecond.toFixed(0)} | ${cpu} | ${r.endpointCpuMsPerSetup.toFixed(2)} ms |`,
    );
  } finally {
    await answerer?.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
