/**
 * SIP stack benchmark (`npm run bench:sip`): a confgate UAS in a child process (bench/sip-uas-child.ts)
 * driven by SIPp's built-in `uac` scenario over UDP on loopback at rising call rates, each bounded in
 * calls and time. For each rate: calls completed and failed (SIPp's counters), SIPp's retransmissions,
 * CPU milliseconds per call and peak RSS of the UAS process. Then the memory of lingering
 * transactions (bench/sip-transaction-memory.ts). Prints a Markdown section for docs/benchmarks.md
 * (## SIP stack); with `--write` replaces that section in the file.
 */
import { execFileSync, fork, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { runSipp } from '../test/support/sipp';

const ROOT = join(__dirname, '..');
const REGISTER = join(ROOT, 'scripts', 'asn1', 'swc-register.js');
/** Rates to run, in order; a rate listed twice is run twice (runs on a shared machine vary). */
const RATES = (process.env.BENCH_SIP_RATES ?? '500,1000,2000,2500,3000,4000').split(',').map(Number);
/** Seconds of traffic per rate: calls = rate × seconds. */
const SECONDS = Number(process.env.BENCH_SIP_SECONDS ?? 5);
/** Extra Node flags for the UAS child, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it. */
const NODE_ARGS = (process.env.BENCH_SIP_NODE_ARGS ?? '').split(' ').filter(Boolean);
/**
 * CPUs for the UAS and for SIPp (`taskset` lists), so the two do not take turns on one core:
 * `BENCH_SIP_PIN=0:1` (default on a machine with 2+ CPUs), `BENCH_SIP_PIN=none` to let the scheduler choose.
 */
const PIN = ((): { uas: string; sipp: string } | undefined => {
  const spec = process.env.BENCH_SIP_PIN ?? (cpus().length >= 2 ? '0:1' : 'none');
  if (spec === 'none') return undefined;
  const [uas, sipp] = spec.split(':');
  return uas && sipp ? { uas, sipp } : undefined;
})();

/** Pins every thread of a process to a CPU list (util-linux `taskset`). */
function pin(pid: number | undefined, cpuList: string): void {
  if (pid !== undefined) execFileSync('taskset', ['-a', '-p', '-c', cpuList, String(pid)], { stdio: 'ignore' });
}

interface ChildStats {
  cpuMs: number;
  userMs: number;
  systemMs: number;
  maxRssKb: number;
  answered: number;
  ended: number;
  failed: number;
  serverTransactions: number;
  dialogs: number;
}

interface RateResult {
  rate: number;
  calls: number;
  completed: number;
  failed: number;
  retransmissions: number;
  cpuMsPerCall: number;
  userMsPerCall: number;
  systemMsPerCall: number;
  peakRssMb: number;
  seconds: number;
  /** One-minute load average when the rate started: the machine is shared. */
  load: number;
}

/** Asks the UAS for its counters; one question at a time, so answers cannot be mixed up. */
let asking: Promise<unknown> = Promise.resolve();
function ask(child: ChildProcess, what: string): Promise<ChildStats> {
  const answer = asking.then(
    () =>
      new Promise<ChildStats>((resolve) => {
        child.once('message', (m) => resolve(m as ChildStats));
        child.send(what);
      }),
  );
  asking = answer;
  return answer;
}

async function startUas(): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(join(__dirname, 'sip-uas-child.ts'), [], {
    execArgv: [...NODE_ARGS, '-r', REGISTER],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`UAS exited with ${code}`)));
  });
  if (PIN) pin(child.pid, PIN.uas);
  return { child, port };
}

async function runRate(rate: number): Promise<RateResult> {
  const { child, port } = await startUas();
  const calls = rate * SECONDS;
  // Warm-up, not counted: 1,000 calls at 500/s so the JIT has compiled the call path.
  const onStart = PIN ? (pid: number): void => pin(pid, PIN.sipp) : undefined;
  await runSipp({ scenario: 'uac', remote: `127.0.0.1:${port}`, calls: 1000, rate: 500, timeoutSec: 60, onStart });
  const load = loadavg()[0]!;
  const before = await ask(child, 'stats');
  const started = Date.now();
  const progress = setInterval(() => {
    void ask(child, 'stats').then((s) => {
      const done = s.answered - before.answered;
      process.stderr.write(
        `\r  ${rate} calls/s: ${done}/${calls} calls answered, ${((Date.now() - started) / 1000).toFixed(1)} s   `,
      );
    });
  }, 500);
  const r = await runSipp({
    scenario: 'uac',
    remote: `127.0.0.1:${port}`,
    calls,
    rate,
    timeoutSec: SECONDS * 4 + 20,
    extraArgs: ['-max_recv_loops', '10000', '-max_sched_loops', '10000'],
    onStart,
  });
  clearInterval(progress);
  await asking;
  const seconds = (Date.now() - started) / 1000;
  const after = await ask(child, 'stats');
  const answered = Math.max(1, after.answered - before.answered);
  child.send('exit');
  await new Promise((r2) => child.once('exit', r2));
  process.stderr.write('\n');
  return {
    rate,
    calls,
    completed: r.successful,
    failed: r.failed + (calls - r.successful - r.failed),
    retransmissions: r.retransmissions,
    cpuMsPerCall: (after.cpuMs - before.cpuMs) / answered,
    userMsPerCall: (after.userMs - before.userMs) / answered,
    systemMsPerCall: (after.systemMs - before.systemMs) / answered,
    peakRssMb: after.maxRssKb / 1024,
    seconds,
    load,
  };
}

function transactionMemory(): Record<string, number> {
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', '-r', REGISTER, join(__dirname, 'sip-transaction-memory.ts')],
    { encoding: 'utf8' },
  );
  return (JSON.parse(out) as { bytesPerTransaction: Record<string, number> }).bytesPerTransaction;
}

/** Which targets this run met, in one paragraph computed from the figures. A rate run several times counts as clean only if every run was. */
function assessment(results: RateResult[], mem: Record<string, number>): string {
  const isClean = (r: RateResult): boolean => r.failed === 0 && r.retransmissions < 0.01 * r.calls;
  const rates = [...new Set(results.map((r) => r.rate))].sort((a, b) => a - b);
  // Clean up to a rate means every run at that rate and at every lower rate was clean.
  const firstDirty = rates.findIndex((rate) => !results.filter((r) => r.rate === rate).every(isClean));
  const cleanRates = firstDirty < 0 ? rates : rates.slice(0, firstDirty);
  const best = cleanRates.length > 0 ? cleanRates[cleanRates.length - 1] : undefined;
  const cpus =
    best === undefined
      ? []
      : results
          .filter((r) => r.rate === best)
          .map((r) => r.cpuMsPerCall)
          .sort((a, b) => a - b);
  const cpu = cpus.length > 0 ? cpus[Math.floor((cpus.length - 1) / 2)] : undefined;
  const runs = cpus.length > 1 ? ` (median of ${cpus.length} runs: ${cpus.map((c) => c.toFixed(3)).join(', ')})` : '';
  const maxMem = Math.max(...Object.values(mem));
  return [
    best !== undefined
      ? `Result: the highest rate with zero failed calls and < 1 % retransmissions in every run at it and at every lower rate was ${best} calls/s (target 2,500: ${best >= 2500 ? 'met' : 'NOT met'}),`
      : 'Result: no rate ran with zero failed calls and < 1 % retransmissions (target 2,500 calls/s: NOT met),',
    cpu !== undefined
      ? `at ${cpu.toFixed(3)} ms CPU per call${runs} (target 0.35: ${cpu <= 0.35 ? 'met' : 'NOT met'});`
      : '',
    `at most ${maxMem} bytes per lingering transaction (target 2 KB: ${maxMem < 2048 ? 'met' : 'NOT met'}).`,
    'Above the sustainable rate the UAS falls behind, SIPp retransmits after 500 ms, and the retransmissions (each parsed',
    'again before being absorbed) add load: failures and retransmissions then grow quickly.',
  ]
    .filter(Boolean)
    .join(' ');
}

function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${spawnSync('sipp', ['-v'], { encoding: 'utf8' }).stdout.match(/SIPp v[\w.-]*\w/)?.[0] ?? 'SIPp'}`;
}

async function main(): Promise<void> {
  const results: RateResult[] = [];
  for (const rate of RATES) {
    process.stderr.write(`rate ${rate} calls/s (${rate * SECONDS} calls)\n`);
    results.push(await runRate(rate));
  }
  process.stderr.write('memory per lingering transaction...\n');
  const mem = transactionMemory();
  const lines = [
    '## SIP stack',
    '',
    `Measured by \`npm run bench:sip\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: ${machine()}.`,
    `A confgate UAS (child process, UDP, logging at \`info\` into /dev/null) answers SIPp's built-in \`uac\` scenario`,
    `(INVITE → 200 with SDP → ACK → BYE → 200) on loopback; ${SECONDS} s of calls per rate. SIPp runs on the same machine;`,
    PIN
      ? `the UAS is pinned to CPU ${PIN.uas} and SIPp to CPU ${PIN.sipp} (\`taskset\`), so they do not take turns on one core (other work still shares both). Each rate`
      : 'the two compete for the cores (not pinned). Each rate starts a fresh UAS, warms it up with 1,000 calls (not counted), then',
    "measures. CPU per call is the UAS process's user+system time divided by calls answered; retransmissions are SIPp's",
    '(INVITE and BYE re-sent after 500 ms without an answer). "load avg" is the machine\'s 1-minute load when the rate',
    'started: other work on the machine takes CPU from both SIPp and the UAS.',
    '',
    '| calls/s offered | calls | completed | failed | retransmissions | CPU ms/call (user + system) | peak RSS (MB) | wall time (s) | load avg |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(
      (r) =>
        `| ${r.rate} | ${r.calls} | ${r.completed} | ${r.failed} | ${r.retransmissions} (${((100 * r.retransmissions) / Math.max(1, r.calls)).toFixed(2)} % of calls) | ${r.cpuMsPerCall.toFixed(3)} (${r.userMsPerCall.toFixed(3)} + ${r.systemMsPerCall.toFixed(3)}) | ${r.peakRssMb.toFixed(0)} | ${r.seconds.toFixed(1)} | ${r.load.toFixed(1)} |`,
    ),
    '',
    'Memory per lingering server transaction (heap + buffers after GC, 50,000 of each, with key, response route,',
    'wheel timer and the response bytes the RFC makes it keep; keys made from requests parsed off the wire, responses',
    'sent through a started UDP transport, so whatever a transaction still shares with its request is counted):',
    '',
    `- non-INVITE in Completed (Timer J, the BYE's 200 kept for retransmissions): ${mem.nonInviteCompleted} bytes`,
    `- INVITE in Accepted (Timer L, RFC 6026; merged-request key kept): ${mem.inviteAccepted} bytes`,
    `- INVITE in Confirmed (Timer I): ${mem.inviteConfirmed} bytes`,
    '',
    'Targets: ≥ 2,500 calls/s with zero failed calls and < 1 % retransmissions, ≤ 0.35 ms CPU per call, < 2 KB per',
    'lingering transaction.',
    '',
    assessment(results, mem),
    '',
    '',
  ];
  const section = lines.join('\n');
  process.stdout.write(section + '\n');
  if (process.argv.includes('--write')) {
    const file = join(ROOT, 'docs', 'benchmarks.md');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      text = '# Benchmarks\n\n';
    }
    const start = text.indexOf('## SIP stack\n');
    if (start < 0) text = text.trimEnd() + '\n\n' + section;
    else {
      const next = text.indexOf('\n## ', start + 1);
      text = text.slice(0, start) + section + (next < 0 ? '' : text.slice(next + 1));
    }
    writeFileSync(file, text);
    process.stderr.write(`written to ${file}\n`);
  }
}

void main();
