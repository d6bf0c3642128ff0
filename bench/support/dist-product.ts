import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
/** What `npm start` runs after `npm run build`: the benchmarks measure this process, not a part of it. */
export const DIST_MAIN = join(ROOT, 'dist', 'main.js');

/** confgate as users run it (`node dist/main.js`), started by a benchmark. */
export interface DistProduct {
  pid: number;
  /** `http://127.0.0.1:PORT` */
  base: string;
  /** Where its stdout and stderr go. */
  logFile: string;
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  exited: Promise<number | string>;
  alive(): boolean;
  /** User + system CPU the process has used so far, in ms (`/proc/PID/stat`). */
  cpuMs(): number;
  /** Resident set size now, in bytes (`/proc/PID/status`). */
  rssBytes(): number;
  /** The named samples of `/metrics` (label-free ones only), or undefined when it did not answer within `timeoutMs`. */
  metrics(timeoutMs?: number): Promise<Map<string, number> | undefined>;
  /** SIGTERM (the drain ends by itself once no call is up), then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<number | string>;
}

/**
 * Starts `dist/main.js` with `config` as its `CONFGATE_CONFIG` file (the environment holds only PATH)
 * and resolves once `/healthz` answers. Refuses to run a stale or missing build: the bench scripts
 * run `npm run build` first.
 */
export async function startDistProduct(config: object, httpPort: number): Promise<DistProduct> {
  if (!existsSync(DIST_MAIN)) throw new Error(`${DIST_MAIN} is missing: run \`npm run build\` first`);
  const dir = mkdtempSync(join(tmpdir(), 'confgate-bench-'));
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  const logFile = join(dir, 'confgate.log');
  const out = openSync(logFile, 'a');
  const child: ChildProcess = spawn(process.execPath, [DIST_MAIN], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', CONFGATE_CONFIG: configFile },
    stdio: ['ignore', out, out],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not spawn dist/main.js');
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  // A bench that ends without stop() must not leave confgate running.
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const base = `http://127.0.0.1:${httpPort}`;
  const alive = (): boolean => child.exitCode === null && child.signalCode === null;
  const deadline = Date.now() + 30_000;
  while (!(await answers(`${base}/healthz`))) {
    if (!alive() || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`dist/main.js did not answer /healthz:\n${readFileSync(logFile, 'utf8').slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    pid,
    base,
    logFile,
    exited,
    alive,
    cpuMs: () => procCpuMs(pid),
    rssBytes: () => procRssBytes(pid),
    metrics: (timeoutMs = 3000) => readMetrics(`${base}/metrics`, timeoutMs),
    async stop(graceMs = 15_000) {
      process.removeListener('exit', killOnExit);
      if (alive()) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

/** Fields 14 and 15 of `/proc/PID/stat` (utime, stime) in clock ticks of 10 ms (USER_HZ 100 on Linux). */
export function procCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

function procRssBytes(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

async function readMetrics(url: string, timeoutMs: number): Promise<Map<string, number> | undefined> {
  try {
    const text = await (await fetch(url, { signal: AbortSignal.timeout(timeoutMs) })).text();
    const samples = new Map<string, number>();
    for (const m of text.matchAll(/^([a-z_:]+) ([-+\de.]+)$/gim)) samples.set(m[1]!, Number(m[2]));
    return samples;
  } catch {
    return undefined;
  }
}
