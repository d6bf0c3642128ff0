import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How to run one SIPp instance; always loopback, always bounded in calls and time. */
export interface SippOptions {
  /** A built-in scenario (`uac`, `uas`) or the XML text of a custom one. */
  scenario: 'uac' | 'uas' | { xml: string };
  /** `host:port` of the peer (omit for a UAS). */
  remote?: string;
  /** Local address (`-i`), a loopback one: 127.0.0.1, 127.0.0.2, ... */
  localIp?: string;
  /** Local port (`-p`); absent: a port free for both UDP and TCP on `localIp` (SIPp's default, 5060, may be taken). */
  localPort?: number;
  /** `u1` (UDP, one socket), `t1` (TCP, one connection), `un`, `tn`. */
  transport?: 'u1' | 'un' | 't1' | 'tn';
  /** Number of calls (`-m`), required so a run always ends. */
  calls: number;
  /** Calls per second (`-r`). */
  rate?: number;
  /** Global timeout in seconds (`-timeout`, with `-timeout_error`). */
  timeoutSec: number;
  /** Percentage of packets SIPp drops (`-lost`). */
  lost?: number;
  /** Further arguments (`-key`, `-rsa` ...). */
  extraArgs?: readonly string[];
  /** Called with SIPp's process id once started (e.g. to read its CPU). */
  onStart?: (pid: number) => void;
  /**
   * A directory for the scenario, the statistics (`stat.csv`, one row a second with `-fd 1`) and any log
   * the extra arguments ask for, kept after the run for the caller to read (default: a temporary one, removed).
   */
  workDir?: string;
}

/** What a SIPp run reported. */
export interface SippResult {
  /** 0: every call succeeded; 1: some failed; 97/99/255: see SIPp's manual. */
  exitCode: number;
  successful: number;
  failed: number;
  retransmissions: number;
  /** Every column of the last statistics line, by header name. */
  stats: Record<string, string>;
  stderr: string;
}

const LOOPBACK = /^127\.\d+\.\d+\.\d+$/;

/** The counter of the last `-trace_stat` line, by its column name (cumulative columns end in `(C)`). */
function counter(stats: Record<string, string>, name: string): number {
  return Number(stats[`${name}(C)`] ?? 0);
}

/**
 * Runs SIPp to completion and parses its exit code and its `-trace_stat` CSV. Refuses any
 * non-loopback address; the media IP is pinned to the local loopback address too, so the SDP
 * SIPp writes names no other host.
 */
export async function runSipp(opts: SippOptions): Promise<SippResult> {
  const localIp = opts.localIp ?? '127.0.0.1';
  const remoteHost = opts.remote?.replace(/:\d+$/, '');
  if (!LOOPBACK.test(localIp) || (remoteHost !== undefined && !LOOPBACK.test(remoteHost))) {
    throw new Error(`sipp: loopback addresses only (got ${localIp} -> ${opts.remote})`);
  }
  const dir = opts.workDir ?? mkdtempSync(join(tmpdir(), 'confgate-sipp-'));
  const statFile = join(dir, 'stat.csv');
  const args: string[] = [];
  if (typeof opts.scenario === 'string') args.push('-sn', opts.scenario);
  else {
    const file = join(dir, 'scenario.xml');
    writeFileSync(file, opts.scenario.xml);
    args.push('-sf', file);
  }
  if (opts.remote) args.push(opts.remote);
  args.push('-i', localIp, '-mi', localIp, '-p', String(opts.localPort ?? (await freeUdpTcpPort(localIp))));
  args.push('-t', opts.transport ?? 'u1', '-m', String(opts.calls));
  if (opts.rate !== undefined) args.push('-r', String(opts.rate));
  if (opts.lost !== undefined) args.push('-lost', String(opts.lost));
  args.push(
    '-timeout',
    `${opts.timeoutSec}s`,
    '-timeout_error',
    '-nostdin',
    '-trace_stat',
    '-stf',
    statFile,
    '-fd',
    '1',
  );
  args.push(...(opts.extraArgs ?? []));
  // CONFGATE_SIPP_TRACE=1 keeps SIPp's message and error logs for debugging a failing scenario.
  const trace = process.env.CONFGATE_SIPP_TRACE === '1';
  if (trace) args.push('-trace_msg', '-trace_err');
  try {
    const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve, reject) => {
      const child = spawn('sipp', args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: dir });
      let err = '';
      child.stderr.on('data', (d: Buffer) => {
        if (err.length < 20000) err += d.toString();
      });
      child.on('error', reject);
      if (child.pid !== undefined) opts.onStart?.(child.pid);
      // A SIPp stuck beyond its own -timeout is killed: the suite must always end.
      const guard = setTimeout(() => child.kill('SIGKILL'), (opts.timeoutSec + 10) * 1000);
      child.on('close', (c, signal) => {
        clearTimeout(guard);
        resolve({ code: c ?? (signal ? 128 : -1), stderr: err });
      });
    });
    const stats = readLastStats(statFile);
    return {
      exitCode: code,
      successful: counter(stats, 'SuccessfulCall'),
      failed: counter(stats, 'FailedCall'),
      retransmissions: counter(stats, 'Retransmissions'),
      stats,
      stderr,
    };
  } finally {
    if (trace) process.stderr.write(`sipp logs kept in ${dir}\n`);
    else if (opts.workDir === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

function readLastStats(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  const lines = text.split('\n').filter((l) => l.trim().length > 0);
  if (lines.length < 2) return {};
  const header = lines[0]!.split(';');
  const last = lines[lines.length - 1]!.split(';');
  return Object.fromEntries(header.map((h, i) => [h, last[i] ?? '']));
}

/** A port free for UDP and TCP on `host` (asked of the kernel, then checked on TCP). */
export async function freeUdpTcpPort(host: string): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = createSocket('udp4');
      s.once('error', reject);
      s.bind(0, host, () => {
        const p = s.address().port;
        s.close(() => resolve(p));
      });
    });
    const tcpFree = await new Promise<boolean>((resolve) => {
      const srv = createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, host, () => srv.close(() => resolve(true)));
    });
    if (tcpFree) return port;
  }
  throw new Error(`no free UDP+TCP port on ${host}`);
}
