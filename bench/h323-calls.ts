/**
 * H.323 call setup benchmark (`npm run bench:h323-calls`) of the process users run (`dist/main.js`):
 * several endpoint processes (bench/h323/call-worker.ts, the project's H.323 test endpoint) place
 * calls with fastStart and tunnelled H.245 dialling `5387*8688` direct to a booking in a loopback
 * redis-server; confgate admits each, puts it through to a SIPp MCU and connects it, and the endpoint
 * releases it. Reports setups per second, confgate's CPU ms per setup (utime + stime from
 * /proc/<pid>/stat), the endpoints' own, and the machine load before and after. Issue 13's target is
 * ≥ 300 setups/s on one core. Loopback only. `--write` adds each run to `## H.323 call setups` in
 * docs/benchmarks.md.
 *
 * Options: --runs N (default 3), --calls N per run (default 900), --workers N endpoint processes
 * (default 3), --concurrency N calls in flight per worker (default 8), --warm-up N calls (default 300).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { configSchema } from '../src/config/config-schema';
import { listedNumberSpace } from '../src/store/number-space';
import { connectRedis } from '../src/store/redis-connection';
import { createRedisStore } from '../src/store/redis-store';
import { book, startSippMcu } from '../test/e2e/support/dial-in-harness';
import { freePort } from '../test/support/free-port';
import { startRedisServer } from '../test/support/redis-server';
import type { WorkerResult } from './h323/call-worker';
import { hasOption, numberOption } from './support/cli-option';
import { writeRunsSection } from './support/doc-section';
import { startDistProduct, type DistProduct } from './support/dist-product';
import { loadAverages, machineLine } from './support/machine';

const RUNS = Math.max(1, numberOption('runs', 3, true));
const CALLS = Math.max(1, numberOption('calls', 900, true));
const WORKERS = Math.max(1, numberOption('workers', 3, true));
const CONCURRENCY = Math.max(1, numberOption('concurrency', 8, true));
const WARM_UP = numberOption('warm-up', 300, true);
const TARGET = 300;
const WORKER = join(__dirname, 'h323', 'call-worker.ts');

interface Run {
  ok: number;
  failed: number;
  seconds: number;
  confgateCpuMs: number;
  endpointCpuMs: number;
  errors: string[];
}

/** Starts one endpoint process and resolves once it is ready; `go()` starts its calls, `result` is what it reports. */
async function startWorker(port: number, calls: number): Promise<{ go(): void; result: Promise<WorkerResult> }> {
  const child = spawn(
    process.execPath,
    [
      ...process.execArgv,
      WORKER,
      '--port',
      String(port),
      '--calls',
      String(calls),
      '--concurrency',
      String(CONCURRENCY),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  let out = '';
  let readyResolve = (): void => undefined;
  const ready = new Promise<void>((r) => (readyResolve = r));
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    if (out.startsWith('ready\n')) readyResolve();
  });
  const result = new Promise<WorkerResult>((resolve, reject) =>
    child.once('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as WorkerResult);
      else reject(new Error(`endpoint worker exited ${code}: ${out.slice(-1000)}`));
    }),
  );
  await Promise.race([ready, result]);
  return { go: () => child.stdin.end('go\n'), result };
}

/** `calls` setups spread over the workers, timed from the moment they all start. */
async function run(product: DistProduct, port: number, calls: number): Promise<Run> {
  const share = (i: number): number => Math.floor(calls / WORKERS) + (i < calls % WORKERS ? 1 : 0);
  const workers = await Promise.all(Array.from({ length: WORKERS }, (_, i) => startWorker(port, share(i))));
  const cpuBefore = product.cpuMs();
  const start = performance.now();
  for (const w of workers) w.go();
  const results = await Promise.all(workers.map((w) => w.result));
  const seconds = (performance.now() - start) / 1000;
  return {
    ok: results.reduce((n, r) => n + r.ok, 0),
    failed: results.reduce((n, r) => n + r.failed, 0),
    seconds,
    confgateCpuMs: product.cpuMs() - cpuBefore,
    endpointCpuMs: results.reduce((n, r) => n + r.cpuMs, 0),
    errors: results.flatMap((r) => r.errors),
  };
}

async function main(): Promise<void> {
  const redisServer = await startRedisServer();
  const redis = connectRedis(redisServer.url);
  // A cap that never refuses (bypassing the 2–20 booking rule): the bench measures admitted calls.
  await book(createRedisStore(redis, listedNumberSpace(['5387'])), { estimatedConnections: 1_000_000 });
  await redis.quit();
  const mcu = await startSippMcu('127.0.0.41', 'mcu-answers', undefined, {
    calls: (WARM_UP + RUNS * CALLS) * 2,
    timeoutSec: 3600,
  });
  const httpPort = await freePort();
  const h323Port = await freePort();
  const config = configSchema.parse({
    redisUrl: redisServer.url,
    publicHost: '127.0.0.1',
    http: { host: '127.0.0.1', port: httpPort },
    sip: { host: '127.0.0.1', port: await freePort(), transports: ['udp'] },
    // Every endpoint process calls from 127.0.0.1: its per-source connection limit is raised out of reach.
    h323: { port: h323Port, maxConnectionsPerSource: 100_000 },
    media: { bindAddress: '127.0.0.1' },
    mcu: [{ uri: mcu.template, capacity: 1_000_000_000 }],
    log: { level: 'warn' },
  });
  const product = await startDistProduct(config, httpPort);
  try {
    // Not measured: the first calls pay for JIT compilation and for loading the Lua scripts into Redis.
    if (WARM_UP > 0) await run(product, h323Port, WARM_UP);
    for (let i = 0; i < RUNS; i++) {
      const loadBefore = loadAverages();
      const r = await run(product, h323Port, CALLS);
      const rate = r.ok / r.seconds;
      const row = [
        new Date().toISOString().slice(0, 16).replace('T', ' '),
        `${loadBefore} → ${loadAverages()}`,
        `${WORKERS} × ${CONCURRENCY}`,
        r.ok,
        r.failed,
        r.seconds.toFixed(2),
        rate.toFixed(0),
        (r.confgateCpuMs / Math.max(r.ok, 1)).toFixed(2),
        (1000 / (r.confgateCpuMs / Math.max(r.ok, 1))).toFixed(0),
        (r.endpointCpuMs / Math.max(r.ok, 1)).toFixed(2),
      ].join(' | ');
      const details = [
        `${machineLine()}. ${CALLS} calls per run over ${WORKERS} endpoint processes with ${CONCURRENCY} in flight each, after ${WARM_UP} warm-up calls;`,
        `confgate used ${(r.confgateCpuMs / 1000).toFixed(2)} CPU s for ${r.ok} setups in ${r.seconds.toFixed(2)} s (${rate.toFixed(0)}/s; target ≥ ${TARGET}/s).`,
        r.errors.length > 0 ? `First failures: ${r.errors.join('; ')}` : 'No call failed.',
      ].join('\n');
      console.log(`| ${row} |\n${details}\n`);
      if (hasOption('write')) writeRunsSection('H.323 call setups', INTRO, HEADER, row, details);
    }
  } finally {
    await product.stop(10_000);
    await mcu.stop();
    await redisServer.stop();
  }
}

const INTRO = [
  '`npm run bench:h323-calls` (`bench/h323-calls.ts`, endpoint processes `bench/h323/call-worker.ts`): `dist/main.js`',
  'with a loopback redis-server and a SIPp MCU; the H.323 test endpoint (`test/support/h323-endpoint/`) calls with',
  'fastStart (G.711 A-law and µ-law) and tunnelled H.245, dialling `5387*8688` direct to a booking whose cap never',
  'refuses: Setup → Call Proceeding → (admission, INVITE to the MCU, 200) → Connect → ReleaseComplete (BYE to the MCU).',
  'Several endpoint processes call in parallel so the endpoint is not the limit. confgate CPU per setup is utime +',
  'stime of its process (`/proc/<pid>/stat`) over the run; "setups/s per core" is 1000 / that, the rate one core of',
  'confgate would sustain. Issue 13 target: ≥ 300 setups/s on one core. The machine is shared (2 cores): see the load.',
].join('\n');
const HEADER = [
  '| date (UTC) | load before → after | workers × in flight | setups | failed | seconds | setups/s | confgate CPU ms per setup | setups/s per core | endpoint CPU ms per setup |',
  '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
].join('\n');

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
