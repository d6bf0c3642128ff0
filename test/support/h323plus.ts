/**
 * H323Plus as a real, independent H.323 peer: `../shared/h323-client` (PTLib + H323Plus, see its README)
 * built once into a cache, and its `answer.sh` / `call.sh` run with bounded time on loopback, their
 * event lines parsed. Tests needing it run under `needsShared` and call {@link ensureH323Plus} first.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseH323PlusEvent, type H323PlusEvent } from './h323plus-events';
import { SHARED_DIR } from './shared-files';

/** The driver's folder: `build.sh`, `call.sh`, `answer.sh`, `h323client.cxx`. */
export const H323CLIENT_DIR = join(SHARED_DIR, 'h323-client');

/**
 * Where the binary is cached: `CONFGATE_H323CLIENT_PREFIX`, else `/opt/h323client` for root (as CI and
 * `build.sh` default), else `~/.cache/confgate/h323client`. The libraries build in `/tmp/h323build`.
 */
export const H323CLIENT_PREFIX =
  process.env.CONFGATE_H323CLIENT_PREFIX ??
  (process.getuid?.() === 0 ? '/opt/h323client' : join(homedir(), '.cache', 'confgate', 'h323client'));
const BUILD_DIR = process.env.CONFGATE_H323CLIENT_BUILD_DIR ?? '/tmp/h323build';
/** One build at a time across jest workers, `scripts/ensure-deps.sh` and other checkouts. */
const BUILD_LOCK = '/tmp/h323build.lock';
const BINARY = join(H323CLIENT_PREFIX, 'bin', 'h323client');
/** A cold build takes about 6 minutes on 2 cores; twice that under a loaded suite. */
export const H323PLUS_BUILD_TIMEOUT_MS = 15 * 60_000;

/** `build.sh` writes the sha256 prefix of the driver source into BUILDINFO: a stale binary is rebuilt. */
function driverHash(): string {
  return createHash('sha256')
    .update(readFileSync(join(H323CLIENT_DIR, 'h323client.cxx')))
    .digest('hex')
    .slice(0, 16);
}

/** Whether the cached binary was built from the current driver source. */
export function h323PlusIsBuilt(): boolean {
  const info = join(H323CLIENT_PREFIX, 'BUILDINFO');
  return existsSync(BINARY) && existsSync(info) && readFileSync(info, 'utf8').includes(driverHash());
}

let built: Promise<string> | undefined;

/**
 * The path of `h323client`, building it first when the cache lacks it or holds a stale one. The build
 * runs under `flock`, so a build already running (started early by `scripts/ensure-deps.sh`, or by
 * another jest worker) is waited for instead of raced.
 */
export function ensureH323Plus(): Promise<string> {
  built ??= new Promise<string>((resolve, reject) => {
    if (h323PlusIsBuilt()) return resolve(BINARY);
    mkdirSync(H323CLIENT_PREFIX, { recursive: true });
    const hash = driverHash();
    // Checked again under the lock: the build we waited for may have produced it.
    const script = `grep -q ${hash} "$PREFIX/BUILDINFO" 2>/dev/null && [ -x "$PREFIX/bin/h323client" ] || nice "$1/build.sh"`;
    const child = spawn('flock', [BUILD_LOCK, 'sh', '-c', script, 'h323plus-build', H323CLIENT_DIR], {
      env: { ...process.env, PREFIX: H323CLIENT_PREFIX, BUILD_DIR },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (d: Buffer): void => {
      output = (output + d.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const guard = setTimeout(() => child.kill('SIGKILL'), H323PLUS_BUILD_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      if (code === 0 && h323PlusIsBuilt()) resolve(BINARY);
      else reject(new Error(`building H323Plus's h323client failed (exit ${code}):\n${output}`));
    });
  });
  return built;
}

const LOOPBACK = /^127\.\d+\.\d+\.\d+$/;

/** A running `h323client` whose event lines are collected as they come. */
class H323PlusProcess {
  readonly events: H323PlusEvent[] = [];
  readonly exited: Promise<number>;
  private watchers: Array<() => void> = [];

  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const event = parseH323PlusEvent(line);
      if (!event) return;
      this.events.push(event);
      for (const w of [...this.watchers]) w();
    });
    child.stderr.resume();
    this.exited = new Promise((resolve) =>
      child.on('close', (code, signal) => {
        resolve(code ?? (signal ? 128 : -1));
        for (const w of [...this.watchers]) w();
      }),
    );
  }

  /** The process id of `h323client` itself (the scripts `exec` it). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The events of one kind, in order. */
  ofKind(kind: string): H323PlusEvent[] {
    return this.events.filter((e) => e.kind === kind);
  }

  /** Resolves with the first event (already seen or to come) that matches; rejects after `timeoutMs`. */
  async waitFor(match: (e: H323PlusEvent) => boolean, timeoutMs: number): Promise<H323PlusEvent> {
    await this.waitUntil((events) => events.some(match), timeoutMs);
    return this.events.find(match)!;
  }

  /** Resolves once `condition` holds over the events so far; rejects after `timeoutMs` or when the process exits first. */
  waitUntil(condition: (events: readonly H323PlusEvent[]) => boolean, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const met = condition(this.events);
        if (!met && this.running) return;
        clearTimeout(timer);
        this.watchers = this.watchers.filter((w) => w !== check);
        if (met) resolve();
        else reject(new Error(`h323client exited before the awaited events:\n${this.transcript()}`));
      };
      const timer = setTimeout(() => {
        this.watchers = this.watchers.filter((w) => w !== check);
        reject(new Error(`awaited h323client events not within ${timeoutMs} ms:\n${this.transcript()}`));
      }, timeoutMs);
      this.watchers.push(check);
      check();
    });
  }

  /** Every event line so far, for failure messages. */
  transcript(): string {
    return this.events.map((e) => e.line).join('\n');
  }

  private get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  protected signal(sig: NodeJS.Signals): void {
    if (this.running) this.child.kill(sig);
  }
}

/** `answer.sh`: an auto-answering H323Plus endpoint that logs every message and user input it receives. */
export class H323PlusAnswerer extends H323PlusProcess {
  private constructor(
    child: ChildProcessWithoutNullStreams,
    readonly port: number,
  ) {
    super(child);
  }

  /**
   * Starts `answer.sh PORT` on 127.0.0.1 with extra `h323client answer` options (`-F`, `-T`,
   * `--hangup-after S`, `--max-calls N`, ...) and waits for its `LISTENING` line.
   */
  static async start(port: number, options: readonly string[] = []): Promise<H323PlusAnswerer> {
    const binary = await ensureH323Plus();
    const child = spawn(join(H323CLIENT_DIR, 'answer.sh'), [String(port), ...options], {
      env: { ...process.env, H323CLIENT: binary, BIND: '127.0.0.1' },
    });
    const answerer = new H323PlusAnswerer(child, port);
    await answerer.waitFor((e) => e.kind === 'LISTENING', 10_000);
    return answerer;
  }

  /** Number of calls it has seen cleared. */
  clearedCalls(): number {
    return this.ofKind('CLEARED').length;
  }

  /** Stops it (SIGTERM: it clears its calls and prints `SUMMARY`), killing it if that takes over 5 s. */
  async stop(): Promise<number> {
    this.signal('SIGTERM');
    const guard = setTimeout(() => this.signal('SIGKILL'), 5000);
    const code = await this.exited;
    clearTimeout(guard);
    return code;
  }
}

/** What `call.sh` did, by its exit code (README: 0 ok, 2 never established, 3 cleared by the far end, ...). */
export interface H323PlusCallResult {
  exitCode: number;
  events: H323PlusEvent[];
  transcript: string;
}

export interface H323PlusCallOptions {
  host: string;
  port: number;
  /** user input sent once established (may be empty) */
  digits: string;
  holdSeconds: number;
  /** `UI_MODE`: how the digits are sent */
  uiMode?: 'alphanumeric' | 'signal' | 'q931' | 'rfc2833' | 'auto';
  /** `CALLED_ALIAS`: the Setup's destinationAddress */
  calledAlias?: string;
  /** extra `h323client call` options: `-F`, `-T`, `--allow-remote-clear`, `-u NAME`, `-e NUMBER` ... */
  options?: readonly string[];
}

/** Runs `call.sh` to completion (it bounds itself with `timeout`; a guard here kills it 10 s later). */
export async function runH323PlusCall(opts: H323PlusCallOptions): Promise<H323PlusCallResult> {
  if (!LOOPBACK.test(opts.host)) throw new Error(`h323client: loopback addresses only (got ${opts.host})`);
  const binary = await ensureH323Plus();
  const env: NodeJS.ProcessEnv = { ...process.env, H323CLIENT: binary, UI_MODE: opts.uiMode ?? 'alphanumeric' };
  delete env.H323_ALLOW_ANY_HOST;
  if (opts.calledAlias !== undefined) env.CALLED_ALIAS = opts.calledAlias;
  else delete env.CALLED_ALIAS;
  const args = [opts.host, String(opts.port), opts.digits, String(opts.holdSeconds), ...(opts.options ?? [])];
  const child = spawn(join(H323CLIENT_DIR, 'call.sh'), args, { env });
  const call = new H323PlusProcess(child);
  const limitMs = (opts.holdSeconds + 70 + opts.digits.length) * 1000;
  const guard = setTimeout(() => child.kill('SIGKILL'), limitMs);
  const exitCode = await call.exited;
  clearTimeout(guard);
  return { exitCode, events: call.events, transcript: call.transcript() };
}
