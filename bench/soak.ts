/**
 * Soak of the process users run (`dist/main.js`, built by `npm run build`): a real redis-server, SIPp
 * callers dialling the direct form (`NUMBER*CODE@`) at a steady rate with short holds, two SIPp MCUs,
 * Redis frozen (SIGSTOP) every few minutes and one MCU killed and started again. Every call is
 * accounted for: SIPp's counts, and each failure from its error log attributed to the fault whose
 * window the call overlapped, or to none (a defect). Heap and RSS are sampled every 10 s from
 * `/metrics` and `/proc`. `npm run bench:soak` (30 min at 200 calls/s) writes the `## Soak` section
 * of docs/benchmarks.md; `-- --minutes 3 --freeze-every 60` is a short run.
 */
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema } from '../src/config/config-schema';
import { listedNumberSpace } from '../src/store/number-space';
import { connectRedis } from '../src/store/redis-connection';
import { createRedisStore } from '../src/store/redis-store';
import { callerScenario } from '../test/e2e/support/caller-scenario';
import { book, CODE, startSippMcu, type SippMcu } from '../test/e2e/support/dial-in-harness';
import { freePort } from '../test/support/free-port';
import { startRedisServer } from '../test/support/redis-server';
import { freeUdpTcpPort, runSipp } from '../test/support/sipp';
import { planFaults, type Fault } from './soak/fault-plan';
import { lastRunDetails, runRow, type Sample, type SoakRun } from './soak/report';
import { callStartTimes, classifyFailures, parseSippErrors, type FaultWindow } from './soak/sipp-failures';
import { hasOption, numberOption } from './support/cli-option';
import { writeRunsSection } from './support/doc-section';
import { startDistProduct } from './support/dist-product';
import { loadAverages, machineLine } from './support/machine';

const MINUTES = numberOption('minutes', 30);
const RATE = numberOption('rate', 200);
const HOLD_MS = numberOption('hold-ms', 2000);
const FREEZE_EVERY_S = numberOption('freeze-every', 300);
const FREEZE_S = numberOption('freeze-seconds', 15);
const MCU_DOWN_S = numberOption('mcu-down-seconds', 20);
const MCU_AT_S = hasOption('mcu-at') ? numberOption('mcu-at', 0) : undefined;
const CONFERENCES = Math.max(1, Math.round(numberOption('conferences', 50)));
const SAMPLE_EVERY_MS = 10_000;
/** Admission must work again within 2 s of Redis's return (issue #12). */
const REDIS_RECOVERY_S = 2;
const NUMBERS = Array.from({ length: CONFERENCES }, (_, i) => String(5387 + i));
const MCU_IPS = ['127.0.0.41', '127.0.0.42'];
const CALLER_IP = '127.0.0.51';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The MCU's port, from its URI template `sip:{number}@IP:PORT`. */
function mcuPort(mcu: SippMcu): number {
  return Number(/:(\d+)$/.exec(mcu.template)![1]);
}

async function main(): Promise<void> {
  const durationS = MINUTES * 60;
  const calls = Math.round(RATE * durationS);
  const faults = planFaults({
    durationS,
    freezeEveryS: FREEZE_EVERY_S,
    freezeSeconds: FREEZE_S,
    mcuAtS: MCU_AT_S,
    mcuDownSeconds: MCU_DOWN_S,
  });
  const loadBefore = loadAverages();
  const dir = mkdtempSync(join(tmpdir(), 'confgate-soak-'));
  console.log(`soak: ${MINUTES} min at ${RATE} calls/s, load ${loadBefore}, files in ${dir}`);
  const redisServer = await startRedisServer();
  console.log(`soak: ${redisServer.url}`);
  const redis = connectRedis(redisServer.url);
  const store = createRedisStore(redis, listedNumberSpace([NUMBERS[0]!]));
  for (const number of NUMBERS) {
    // A cap that never refuses (bypassing the 2–20 booking rule): the soak measures admitted calls.
    await book(store, { estimatedConnections: 1_000_000, minutes: MINUTES + 60, number, redis });
  }
  await redis.quit();
  const mcuLimits = { calls: calls * 2, timeoutSec: durationS + 600 };
  const mcus = await Promise.all(MCU_IPS.map((ip) => startSippMcu(ip, 'mcu-answers', undefined, mcuLimits)));
  const httpPort = await freePort();
  const sipPort = await freeUdpTcpPort('127.0.0.1');
  const config = configSchema.parse({
    redisUrl: redisServer.url,
    publicHost: '127.0.0.1',
    http: { host: '127.0.0.1', port: httpPort },
    // One SIPp address plays every caller: its INVITE rate limit is raised out of reach, since SIPp
    // catches up on a late schedule in bursts far above its rate (5 × the rate still refused 858 INVITEs).
    sip: {
      host: '127.0.0.1',
      port: sipPort,
      transports: ['udp'],
      inviteRate: { perSource: 100_000, burst: 100_000 },
    },
    media: { bindAddress: '127.0.0.1' },
    // Room on either MCU for every conference's 1,000,000 ports, so placement balances instead of overflowing.
    mcu: mcus.map((m) => ({ uri: m.template, capacity: 1_000_000_000 })),
    // `--log-info` also logs each MCU refusal and health transition, to see why an MCU went down.
    log: { level: hasOption('log-info') ? 'info' : 'warn' },
  });
  // An MCU's calls fail until health pings see it up again: its recovery is that many pings.
  const mcuRecoveryS =
    (config.routing.healthIntervalMs * config.routing.upAfterSuccesses + config.routing.healthTimeoutMs) / 1000;
  const product = await startDistProduct(config, httpPort);
  const inf = join(dir, 'callers.csv');
  writeFileSync(inf, ['SEQUENTIAL', ...NUMBERS.map((n) => `${n}*${CODE};`)].join('\n') + '\n');
  const errorFile = join(dir, 'caller-errors.log');
  const connectedFile = join(dir, 'caller-connected.log');
  let t0 = 0;
  const samples: Sample[] = [];
  const sample = async (): Promise<void> => {
    const metrics = await product.metrics();
    samples.push({
      t: (Date.now() - t0) / 1000,
      heapUsed: metrics?.get('nodejs_heap_size_used_bytes'),
      rss: product.rssBytes(),
      cpuMs: product.cpuMs(),
      load1: Number(loadAverages().split(' ')[0]),
    });
  };
  const callers = runSipp({
    scenario: callerScenario({
      user: '[field0]',
      end: 'hang-up',
      holdMs: HOLD_MS,
      connectedLog: 'connected [call_number]',
    }),
    remote: `127.0.0.1:${sipPort}`,
    localIp: CALLER_IP,
    calls,
    rate: RATE,
    timeoutSec: durationS + 180,
    workDir: dir,
    extraArgs: [
      '-inf',
      inf,
      // Room for every call a 64 s INVITE timeout can hold up, so a fault never throttles the offered rate.
      '-l',
      String(Math.round(RATE * (HOLD_MS / 1000 + 70))),
      '-trace_err',
      '-error_file',
      errorFile,
      '-trace_logs',
      '-log_file',
      connectedFile,
    ],
    onStart: () => (t0 = Date.now()),
  });
  while (t0 === 0) await sleep(10);
  await sample();
  const sampler = setInterval(() => void sample(), SAMPLE_EVERY_MS);
  const done: Array<Fault & { recoveryS: number; fromS: number; toS: number }> = [];
  const mcuInvites: number[] = [];
  let finished = false;
  void callers.finally(() => (finished = true));
  for (const fault of faults) {
    const wait = t0 + fault.atS * 1000 - Date.now();
    if (wait > 0) await Promise.race([sleep(wait), callers]);
    if (finished) break;
    const fromS = Date.now() / 1000;
    if (fault.kind === 'redis-freeze') {
      redisServer.freeze();
      await sleep(fault.seconds * 1000);
      redisServer.thaw();
    } else {
      const port = mcuPort(mcus[0]!);
      mcuInvites.push(mcus[0]!.invites().length);
      await mcus[0]!.stop();
      await sleep(fault.seconds * 1000);
      mcus[0] = await startSippMcu(MCU_IPS[0]!, 'mcu-answers', port, mcuLimits);
    }
    const recoveryS = fault.kind === 'redis-freeze' ? REDIS_RECOVERY_S : mcuRecoveryS;
    const toS = Date.now() / 1000 + recoveryS;
    done.push({ ...fault, atS: fromS - t0 / 1000, recoveryS, fromS, toS });
    console.log(`soak: ${fault.kind} at ${(fromS - t0 / 1000).toFixed(1)} s for ${fault.seconds} s`);
  }
  const result = await callers;
  // The last calls' BYEs, then the final sample.
  await sleep(3000);
  clearInterval(sampler);
  await sample();
  const loadAfter = loadAverages();
  for (const m of mcus) mcuInvites.push(m.invites().length);
  // A BYE relayed to the killed MCU waits out its transaction (Timer F, 32 s) before the drain can end.
  const productExit = await product.stop(40_000);
  await Promise.all(mcus.map((m) => m.stop()));
  await redisServer.stop();
  const windows: FaultWindow[] = done.map((f) => ({ kind: f.kind, fromS: f.fromS, toS: f.toS }));
  const failures = classifyFailures(
    parseSippErrors(readIfThere(errorFile)),
    callStartTimes(readIfThere(join(dir, 'stat.csv'))),
    new Set([...readIfThere(connectedFile).matchAll(/^connected (\d+)/gm)].map((m) => Number(m[1]))),
    windows,
  );
  const log = readIfThere(product.logFile);
  const run: SoakRun = {
    date: new Date().toISOString().slice(0, 16).replace('T', ' '),
    machine: machineLine(),
    loadBefore,
    loadAfter,
    minutes: MINUTES,
    rate: RATE,
    holdMs: HOLD_MS,
    conferences: CONFERENCES,
    faults: done,
    calls,
    successful: result.successful,
    failed: result.failed,
    retransmissions: result.retransmissions,
    failures,
    samples,
    mcus: MCU_IPS.length,
    mcuInvites,
    productExit,
    productErrorLines: (log.match(/"level":(50|60)/g) ?? []).length,
    productWarnLines: (log.match(/"level":40/g) ?? []).length,
  };
  writeFileSync(join(dir, 'samples.json'), JSON.stringify(samples));
  const row = runRow(run);
  const details = lastRunDetails(run);
  console.log(`${row}\n\n${details}`);
  console.log(`soak: SIPp exit ${result.exitCode}; confgate log ${product.logFile}; SIPp files in ${dir}`);
  if (hasOption('write')) writeRunsSection('Soak', INTRO, HEADER, row, details);
}

function readIfThere(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

const INTRO = [
  '`npm run bench:soak` (`bench/soak.ts`; `npm run bench:soak -- --minutes 3 --freeze-every 60` for a short run).',
  '`dist/main.js` as `npm start` runs it, against a real redis-server; a SIPp caller on 127.0.0.51 dials the direct',
  'form of booked conferences in turn, holds, hangs up; two SIPp MCUs. Redis is frozen (SIGSTOP) every few minutes, and',
  'one MCU is killed and started again on its port. Every call SIPp aborted is read from its error log and attributed',
  "to a fault when the call's life (INVITE to failure) overlapped the fault or its recovery allowance (2 s for Redis:",
  "the issue's target; for an MCU, the health pings that see it up again); otherwise it is a defect (**bold** count).",
  '"live lost" counts calls that failed after their 200 OK. A call SIPp aborts in its closing timewait on a second',
  '200 to its retransmitted BYE is attributed `complete`: it was over, nothing lost (before 2026-12-08 01:25 such calls',
  'were counted as live lost and outside). Heap = `nodejs_heap_size_used_bytes` from `/metrics`',
  'every 10 s; the slope is a least-squares fit through its floor (the lowest sample of each 2-minute window after the',
  'first minute: what survives collection), "flat" when its growth over the run is under 10 % of the start (or 4 MiB);',
  'the first 30-minute run fitted every sample instead. Load = `/proc/loadavg` before → after, on a 2-core VM shared',
  'with other work.',
].join('\n');
const HEADER = [
  '| date (UTC) | min | calls/s | load before → after | faults | calls | completed | failed in faults / outside | live lost | unfinished | heap MiB start / mid / end | heap slope MiB/h | RSS MiB start / end | reading |',
  '| --- | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- | --- |',
].join('\n');

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
