/**
 * Benchmark of the dial-in's direct path (`5387*8688@`): a SIPp caller at rising rates, admission
 * and placement in a loopback redis-server, B2BUA to a SIPp MCU, BYE. Prints per rate: calls
 * completed and failed, admission latency p50/p99 (INVITE in → INVITE out to the MCU), confgate CPU
 * ms per call (this process runs confgate; both SIPps are separate processes), and Redis commands per
 * call (INFO commandstats). `npm run bench:dialin` writes the `## Dial-in` section of docs/benchmarks.md.
 */
import { cpus, loadavg } from 'node:os';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import type { Redis } from 'ioredis';
import { configSchema } from '../src/config/config-schema';
import { createLogger } from '../src/log/logger';
import { startDialIn } from '../src/app/dial-in';
import { listedNumberSpace } from '../src/store/number-space';
import { connectRedis } from '../src/store/redis-connection';
import { createRedisStore } from '../src/store/redis-store';
import { callerScenario } from '../test/e2e/support/caller-scenario';
import { book, startSippMcu } from '../test/e2e/support/dial-in-harness';
import { startRedisServer } from '../test/support/redis-server';
import { runSipp } from '../test/support/sipp';
import { writeBenchmarkSection } from './support/doc-section';

const RATES = (process.env.DIALIN_RATES ?? '250,500,750,1000,1250').split(',').filter(Boolean).map(Number);
/** IVR-path calls (`conf@`, number and code by SIP INFO 300 ms apart, re-INVITE to the MCU): each lasts about 4 s. */
const IVR_RATES = (process.env.DIALIN_IVR_RATES ?? '25,50,100').split(',').filter(Boolean).map(Number);
const IVR_CALL_SECONDS = 4;
const SECONDS = Number(process.env.DIALIN_SECONDS ?? 6);
const WARM_UP_CALLS = 500;
/** The targets: zero failures at 1,000 calls/s, admission p99 under 10 ms at half that rate, at most 3 round trips. */
const TARGET_RATE = 1000;
const TARGET_P99_MS = 10;

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

async function commandCount(redis: Redis): Promise<number> {
  const info = await redis.info('commandstats');
  let n = 0;
  // Commands the client sent (scripts and the call record's XADD); commands run inside scripts are not counted.
  for (const m of info.matchAll(/^cmdstat_(eval|evalsha|xadd|hgetall):calls=(\d+)/gm)) n += Number(m[2]);
  return n;
}

type Path = 'direct' | 'ivr';

/** What each path's SIPp caller does. */
const SCENARIOS: Record<Path, ReturnType<typeof callerScenario>> = {
  direct: callerScenario({ user: '5387*8688', end: 'hang-up', holdMs: 100 }),
  ivr: callerScenario({ user: 'conf', infoDigits: '5387#8688#', expectReinvite: true, end: 'hang-up', holdMs: 100 }),
};

interface Row {
  path: Path;
  rate: number;
  calls: number;
  ok: number;
  failed: number;
  p50: number;
  p99: number;
  cpuMsPerCall: number;
  commandsPerCall: number;
  /** SIPp's retransmissions: a message it sent twice because confgate's answer came after 500 ms. */
  retransmissions: number;
  /** confgate's event-loop delay p99 (ms) and its GC pauses (count, longest ms) during the rate: where latency tails come from. */
  loopDelayP99: number;
  gcPauses: number;
  gcLongest: number;
}

/** GC pauses as V8 reports them, collected per rate. */
const gcPauses: number[] = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcPauses.push(entry.duration);
}).observe({ entryTypes: ['gc'] });

async function main(): Promise<void> {
  const server = await startRedisServer();
  const totalCalls = WARM_UP_CALLS + [...RATES, ...IVR_RATES].reduce((sum, rate) => sum + rate * SECONDS, 0);
  // The MCU serves every call of every rate (its default bound of 1,000 calls would end it mid-run), with room for INVITEs retransmitted after their call ended, which it counts as new calls.
  const mcu = await startSippMcu('127.0.0.31', 'mcu-answers', undefined, {
    calls: totalCalls * 2,
    timeoutSec: (RATES.length + IVR_RATES.length) * (SECONDS + 60),
  });
  const redis = connectRedis(server.url);
  const counter = connectRedis(server.url) as Redis;
  const store = createRedisStore(redis, listedNumberSpace(['5387']));
  const config = configSchema.parse({
    redisUrl: server.url,
    // One SIPp source plays every caller: its INVITE rate limit is above the bench's highest rate.
    sip: { host: '127.0.0.1', port: 0, transports: ['udp'], inviteRate: { perSource: 100_000, burst: 100_000 } },
    media: { bindAddress: '127.0.0.1' },
    mcu: [{ uri: mcu.template, capacity: 1_000_000 }],
    routing: { healthIntervalMs: 600000 },
    log: { level: 'silent' },
  });
  const latencies: number[] = [];
  const dialIn = await startDialIn({
    config,
    store,
    redis,
    log: createLogger('silent'),
    onMcuInvite: (ms) => latencies.push(ms),
  });
  const remote = `127.0.0.1:${dialIn.srf.address('udp').port}`;
  // A conference whose cap never refuses (bypassing the 2–20 booking rule): the bench measures the admitting path.
  await book(store, { estimatedConnections: 1_000_000, minutes: 480 });
  const rows: Row[] = [];
  try {
    // Warm-up, not measured: the first calls pay for JIT compilation and for loading the Lua scripts
    // into Redis, which a long-running controller pays once.
    await runSipp({
      scenario: callerScenario({ user: '5387*8688', end: 'hang-up', holdMs: 100 }),
      remote,
      localIp: '127.0.0.32',
      calls: WARM_UP_CALLS,
      rate: 100,
      timeoutSec: 30,
    });
    const runs: Array<[Path, number]> = [
      ...RATES.map((rate): [Path, number] => ['direct', rate]),
      ...IVR_RATES.map((rate): [Path, number] => ['ivr', rate]),
    ];
    for (const [path, rate] of runs) {
      latencies.length = 0;
      gcPauses.length = 0;
      const calls = rate * SECONDS;
      const commandsBefore = await commandCount(counter);
      const loopDelay = monitorEventLoopDelay({ resolution: 1 });
      loopDelay.enable();
      const cpuBefore = process.cpuUsage();
      const r = await runSipp({
        scenario: SCENARIOS[path],
        remote,
        localIp: '127.0.0.32',
        calls,
        rate,
        timeoutSec: SECONDS + 60,
        extraArgs: ['-l', String(rate * (path === 'ivr' ? 2 * IVR_CALL_SECONDS : 2))],
      });
      for (let i = 0; i < 200 && dialIn.legs.size > 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      const cpu = process.cpuUsage(cpuBefore);
      loopDelay.disable();
      const commands = (await commandCount(counter)) - commandsBefore;
      const sorted = [...latencies].sort((a, b) => a - b);
      rows.push({
        path,
        rate,
        calls,
        ok: r.successful,
        failed: r.failed,
        p50: percentile(sorted, 0.5),
        p99: percentile(sorted, 0.99),
        cpuMsPerCall: (cpu.user + cpu.system) / 1000 / Math.max(1, r.successful),
        commandsPerCall: commands / Math.max(1, r.successful),
        retransmissions: r.retransmissions,
        loopDelayP99: loopDelay.percentile(99) / 1e6,
        gcPauses: gcPauses.length,
        gcLongest: Math.max(0, ...gcPauses),
      });
      console.log(rows[rows.length - 1]);
    }
  } finally {
    await dialIn.stop();
    await mcu.stop();
    await Promise.all([redis.quit(), counter.quit()]);
    await server.stop();
  }
  const table = [
    `Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}, load ${loadavg()[0]!.toFixed(1)} at the end.`,
    '',
    `${WARM_UP_CALLS} warm-up calls (not measured), then a SIPp caller at each rate for ${SECONDS} s. Direct path \`5387*8688@\`: 100 ms`,
    'call, BYE. IVR path `conf@`: the IVR answers, number and code by SIP INFO 300 ms apart (about 4 s of prompts and digits,',
    "RTP prompts sent to the caller), re-INVITE of the caller with the MCU's offer, 100 ms, BYE. A SIPp MCU; Redis and both",
    'SIPps on the same host, all on one 2-core VM (the callers and the MCU compete with confgate for the CPUs). Latency = INVITE',
    "to the MCU out, from the INVITE in (direct) or from the code's `#` (IVR): one Redis round trip, the admission, which also reads",
    "where the conference is (the placement script runs for a conference's first caller only).",
    'Redis commands per call: what confgate sent (EVAL/EVALSHA of the admit, placement and release scripts, XADD of the call',
    'record, HGETALL of the booking-end sweep; lease renewal amortised), from INFO commandstats. Release and XADD go out',
    'together, so an admitted call costs 2 sequential round trips. "completed"/"failed" are SIPp\'s last -trace_stat sample;',
    '"retrans." counts messages SIPp sent again because confgate answered after 500 ms (T1). Loop delay p99 and GC pauses are',
    "confgate's, during the rate.",
    '',
    '| path | offered calls/s | calls | completed | failed | SIPp retrans. | admission p50 / p99 ms | confgate CPU ms/call | Redis commands/call | loop delay p99 ms | GC pauses (longest ms) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.path} | ${r.rate} | ${r.calls} | ${r.ok} | ${r.failed} | ${r.retransmissions} | ${r.p50.toFixed(2)} / ${r.p99.toFixed(2)} | ${r.cpuMsPerCall.toFixed(2)} | ${r.commandsPerCall.toFixed(2)} | ${r.loopDelayP99.toFixed(1)} | ${r.gcPauses} (${r.gcLongest.toFixed(1)}) |`,
    ),
    '',
    verdict(rows),
  ].join('\n');
  console.log(table);
  if (process.argv.includes('--write')) {
    writeBenchmarkSection('Dial-in', `\`npm run bench:dialin\` (\`bench/dialin.ts\`).\n\n${table}`);
  }
}

/** The reading of the table against the targets, computed so the written section never claims more than it measured. */
function verdict(all: Row[]): string {
  const rows = all.filter((r) => r.path === 'direct');
  const ivr = all.filter((r) => r.path === 'ivr' && r.ok === r.calls && r.failed === 0).map((r) => r.rate);
  const clean = rows.filter((r) => r.ok === r.calls && r.failed === 0).map((r) => r.rate);
  const best = clean.length > 0 ? Math.max(...clean) : 0;
  const half = rows.find((r) => r.rate === TARGET_RATE / 2);
  const commands = Math.max(...rows.filter((r) => r.ok > 0).map((r) => r.commandsPerCall));
  return [
    `Reading: every call completed with zero failures at ${clean.length > 0 ? clean.join(', ') : 'no'} calls/s (highest ${best});`,
    `target ≥ ${TARGET_RATE} calls/s **${best >= TARGET_RATE ? 'met' : 'not met'}**.`,
    half
      ? `Admission p99 at ${half.rate} calls/s: ${half.p99.toFixed(1)} ms against < ${TARGET_P99_MS} ms, **${half.p99 < TARGET_P99_MS ? 'met' : 'not met'}**.`
      : `No row at ${TARGET_RATE / 2} calls/s: the p99 target was not measured.`,
    `Redis: at most ${commands.toFixed(2)} commands per admitted direct call, in 2 sequential round trips (target ≤ 3: met).`,
    `IVR path: zero failures at ${ivr.length > 0 ? ivr.join(', ') : 'no'} calls/s (no target set).`,
  ].join(' ');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
