import type { Fault } from './fault-plan';
import type { ClassifiedFailure } from './sipp-failures';
import { tallyFailures } from './sipp-failures';
import { leastSquares } from './trend';

/** One 10-second sample of the product under soak. */
export interface Sample {
  /** Seconds since the calls started. */
  t: number;
  /** V8 heap in use (`nodejs_heap_size_used_bytes`), undefined when `/metrics` did not answer. */
  heapUsed?: number;
  rss: number;
  cpuMs: number;
  load1: number;
}

/** Everything a soak run measured, for its report. */
export interface SoakRun {
  date: string;
  machine: string;
  loadBefore: string;
  loadAfter: string;
  minutes: number;
  rate: number;
  holdMs: number;
  conferences: number;
  faults: ReadonlyArray<Fault & { recoveryS: number }>;
  calls: number;
  successful: number;
  failed: number;
  retransmissions: number;
  failures: readonly ClassifiedFailure[];
  samples: readonly Sample[];
  /** SIPp MCUs configured. */
  mcus: number;
  /** INVITEs each SIPp MCU process saw: a restarted MCU's first life comes first. */
  mcuInvites: number[];
  productExit: number | string;
  productErrorLines: number;
  productWarnLines: number;
}

const MIB = 1024 * 1024;
/** Samples of the first minute are left out of the heap trend: JIT, pools and caches fill then. */
const WARM_UP_S = 60;

/** The heap is read at its lowest in each window this long: the floor is what survives collection. */
export const FLOOR_WINDOW_S = 120;

/**
 * The floor of the heap (its lowest sample in each {@link FLOOR_WINDOW_S} window after the first
 * minute), the least-squares slope through it, and whether it is flat: a fitted growth over the span
 * under 10 % of its start (or 4 MiB). The floor, not every sample, because heap used between two
 * collections swings by 100 MiB or more at these rates, and only a rising floor means retained memory.
 */
export function heapTrend(samples: readonly Sample[]): { mibPerHour: number; growthMib: number; flat: boolean } {
  const floors = new Map<number, number>();
  for (const s of samples) {
    if (s.t < WARM_UP_S || s.heapUsed === undefined) continue;
    const window = Math.floor((s.t - WARM_UP_S) / FLOOR_WINDOW_S);
    floors.set(window, Math.min(floors.get(window) ?? Infinity, s.heapUsed / MIB));
  }
  const points = [...floors].map(([w, y]) => ({ x: (WARM_UP_S + (w + 0.5) * FLOOR_WINDOW_S) / 3600, y }));
  // Fewer than three windows give no trend worth a verdict.
  const { slope, intercept } = points.length < 3 ? { slope: NaN, intercept: NaN } : leastSquares(points);
  const span = points.length > 1 ? points[points.length - 1]!.x - points[0]!.x : 0;
  const growthMib = slope * span;
  const start = intercept + slope * (points[0]?.x ?? 0);
  return { mibPerHour: slope, growthMib, flat: Number.isFinite(growthMib) && growthMib < Math.max(4, 0.1 * start) };
}

function mib(bytes: number | undefined): string {
  return bytes === undefined || !Number.isFinite(bytes) ? '–' : (bytes / MIB).toFixed(1);
}

/** The run's row in the section's table of runs. */
export function runRow(r: SoakRun): string {
  const inFaults = r.failures.filter((f) => f.attribution !== 'outside' && f.attribution !== 'complete').length;
  const outside = r.failures.filter((f) => f.attribution === 'outside').length;
  const liveLost = r.failures.filter((f) => f.connected && f.attribution !== 'complete').length;
  const withHeap = r.samples.filter((s) => s.heapUsed !== undefined);
  const mid = withHeap[Math.floor(withHeap.length / 2)];
  const trend = heapTrend(r.samples);
  const unfinished = r.calls - r.successful - r.failed;
  const clean = outside === 0 && liveLost === 0 && unfinished === 0 && r.failed === r.failures.length;
  return [
    r.date,
    r.minutes,
    r.rate,
    `${r.loadBefore} → ${r.loadAfter}`,
    r.faults
      .map((f) => `${f.kind === 'redis-freeze' ? 'freeze' : 'MCU'}@${Math.round(f.atS)}s/${f.seconds}s`)
      .join(' '),
    r.calls,
    r.successful,
    `${inFaults} / **${outside}**`,
    liveLost,
    unfinished,
    `${mib(withHeap[0]?.heapUsed)} / ${mib(mid?.heapUsed)} / ${mib(withHeap[withHeap.length - 1]?.heapUsed)}`,
    Number.isFinite(trend.mibPerHour)
      ? `${trend.mibPerHour.toFixed(1)} (${trend.flat ? 'flat' : 'growing'})`
      : `n/a (under 3 windows of ${FLOOR_WINDOW_S} s after the first minute)`,
    `${mib(r.samples[0]?.rss)} / ${mib(r.samples[r.samples.length - 1]?.rss)}`,
    clean && trend.flat ? 'clean' : 'see below',
  ].join(' | ');
}

/** The details of the last run: the faults, the failures by cause and what the product used. */
export function lastRunDetails(r: SoakRun): string {
  const cpu = (r.samples[r.samples.length - 1]?.cpuMs ?? NaN) - (r.samples[0]?.cpuMs ?? NaN);
  const tally = tallyFailures(r.failures);
  const lines = [
    `${r.date}, ${r.machine}; load ${r.loadBefore} before, ${r.loadAfter} after. ${r.minutes} min at ${r.rate} calls/s,`,
    `${r.holdMs} ms holds, spread over ${r.conferences} conferences, ${r.mcus} SIPp MCUs.`,
    '',
    'Faults (seconds from the first call; recovery = the time after the fault still counted as its doing):',
    '',
    ...r.faults.map(
      (f) => `- ${f.kind} at ${f.atS.toFixed(1)} s for ${f.seconds} s, recovery allowed ${f.recoveryS} s`,
    ),
    '',
    `Calls: ${r.calls} offered, ${r.successful} completed, ${r.failed} failed (SIPp), ${r.failures.length} failures in SIPp's`,
    `error log, ${r.calls - r.successful - r.failed} unfinished; ${r.retransmissions} retransmissions. INVITEs seen by each SIPp MCU process:`,
    `${r.mcuInvites.join(', ')}. confgate: ${(cpu / Math.max(1, r.successful)).toFixed(2)} CPU ms per completed call, exit`,
    `${r.productExit}, ${r.productErrorLines} error and ${r.productWarnLines} warn log lines.`,
    '',
    '| attributed to | phase | cause | calls |',
    '| --- | --- | --- | ---: |',
    ...tally.map((t) => `| ${t.attribution} | ${t.phase} | ${t.cause} | ${t.count} |`),
    '',
    'Heap used / RSS (MiB) every minute:',
    '',
    r.samples
      .filter((_, i) => i % 6 === 0)
      .map((s) => `${Math.round(s.t)} s: ${mib(s.heapUsed)} / ${mib(s.rss)}`)
      .join('; '),
  ];
  return lines.join('\n');
}
