import type { FaultKind } from './fault-plan';

/** One call SIPp gave up on, from its `-trace_err` log. */
export interface SippFailure {
  /** When SIPp aborted the call, epoch seconds. */
  atS: number;
  /** SIPp's call number, the first part of its Call-ID (`%u-%p@%s`). */
  callNumber: number;
  /** What went wrong, normalised so failures group: `503 instead of 200`, `no answer`, ... */
  cause: string;
}

/**
 * An error log entry: `2026-12-07<TAB>23:30:32.601876<TAB>1796686232.601876: text`. An entry that quotes
 * a message spans lines, and the next entry starts right after its closing quote, on the same line.
 */
const ENTRY = /\d{4}-\d\d-\d\d\t[\d:.]+\t(\d+(?:\.\d+)?): ([^\n]*?)(?=\d{4}-\d\d-\d\d\t|\n|$)/g;

/**
 * The calls SIPp aborted, from its error log. Entries that abort nothing (a late answer to a call
 * already over, SIPp's own warnings) are left out; an entry's first line says enough to classify it.
 */
export function parseSippErrors(log: string): SippFailure[] {
  const failures: SippFailure[] = [];
  const entries = [...log.matchAll(ENTRY)];
  entries.forEach((entry, i) => {
    const text = entry[2]!;
    const callId = /^Aborting call .*Call-I[dD] '(\d+)-/.exec(text);
    // The quoted message runs to the next entry.
    const whole = log.slice(entry.index, entries[i + 1]?.index ?? log.length);
    if (callId) failures.push({ atS: Number(entry[1]), callNumber: Number(callId[1]), cause: causeOf(text, whole) });
  });
  return failures;
}

/**
 * A call SIPp counts failed though it was over: its BYE answered, it got a second answer (to the BYE
 * it retransmitted while confgate was slow, RFC 3261 §17.2.2) in its closing timewait. No call lost.
 */
export const BYE_ANSWERED_TWICE = 'BYE answered twice (call complete)';

function causeOf(text: string, whole: string): string {
  if (/while pausing .*received 'SIP\/2\.0 2\d\d/.test(text) && /^CSeq: *\d+ BYE\r?$/m.test(whole)) {
    return BYE_ANSWERED_TWICE;
  }
  const response = /received 'SIP\/2\.0 (\d{3}[^\r\n']*)/.exec(text);
  if (response) return response[1]!.trim();
  const request = /received '([A-Z]+) /.exec(text);
  if (request) return `${request[1]} from confgate`;
  if (/UDP retransmission timeout/i.test(text)) return 'no answer (retransmissions exhausted)';
  if (/receive timeout/i.test(text)) return 'receive timeout';
  if (/send timeout/i.test(text)) return 'send timeout';
  return text.slice(0, 80);
}

/**
 * When each call number was created, from SIPp's `-trace_stat` CSV (one row a second with `-fd 1`):
 * interpolated between the rows whose cumulative `OutgoingCall(C)` counts pass it.
 */
export function callStartTimes(statCsv: string): (callNumber: number) => number {
  const lines = statCsv.split('\n').filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split(';');
  const timeColumn = header.indexOf('CurrentTime');
  const countColumn = header.indexOf('OutgoingCall(C)');
  const rows = lines.slice(1).map((l) => {
    const cells = l.split(';');
    return { t: Number(cells[timeColumn]?.split('\t').pop()), calls: Number(cells[countColumn]) };
  });
  return (n) => {
    const i = rows.findIndex((r) => r.calls >= n);
    if (i < 0) return rows[rows.length - 1]?.t ?? NaN;
    if (i === 0) return rows[0]!.t;
    const a = rows[i - 1]!;
    const b = rows[i]!;
    return a.t + ((b.t - a.t) * (n - a.calls)) / Math.max(1, b.calls - a.calls);
  };
}

/** A time span a fault may have spoiled calls in: the fault itself and the recovery allowed after it. */
export interface FaultWindow {
  kind: FaultKind;
  fromS: number;
  toS: number;
}

/** Where a failure belongs: the fault whose window the call overlapped, `outside` (a defect), or `complete` (no failure). */
export type Attribution = FaultKind | 'outside' | 'complete';

export interface ClassifiedFailure extends SippFailure {
  startS: number;
  /** The call had been answered (200 to the INVITE) before it failed: a live call was lost. */
  connected: boolean;
  attribution: Attribution;
}

/**
 * A call is the fault's doing when its life, from its INVITE to its failure, overlapped the fault's
 * window; of overlapping windows, the latest fault to start before the failure is named. A call
 * whose BYE was answered twice is `complete`, wherever it fell.
 */
export function classifyFailures(
  failures: readonly SippFailure[],
  startOf: (callNumber: number) => number,
  connected: ReadonlySet<number>,
  windows: readonly FaultWindow[],
): ClassifiedFailure[] {
  return failures.map((f) => {
    const startS = startOf(f.callNumber);
    const window = windows
      .filter((w) => startS <= w.toS && f.atS >= w.fromS)
      .reduce<FaultWindow | undefined>((latest, w) => (latest && latest.fromS > w.fromS ? latest : w), undefined);
    const attribution = f.cause === BYE_ANSWERED_TWICE ? 'complete' : (window?.kind ?? 'outside');
    return { ...f, startS, connected: connected.has(f.callNumber), attribution };
  });
}

/** Failures counted by attribution, phase and cause, largest first. */
export function tallyFailures(
  failures: readonly ClassifiedFailure[],
): Array<{ attribution: Attribution; phase: 'setup' | 'connected'; cause: string; count: number }> {
  const counts = new Map<string, number>();
  for (const f of failures) {
    const key = JSON.stringify([f.attribution, f.connected ? 'connected' : 'setup', f.cause]);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .map(([key, count]) => {
      const [attribution, phase, cause] = JSON.parse(key) as [Attribution, 'setup' | 'connected', string];
      return { attribution, phase, cause, count };
    })
    .sort((a, b) => b.count - a.count);
}
