import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { freePortBelowEphemeral } from './free-port';

/** A throw-away `redis-server` listening on loopback, for tests that need a real Redis. */
export interface RedisServer {
  /** `redis://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** Kills the server and waits until the process has exited. Safe to call twice. */
  stop(): Promise<void>;
  /** Starts a fresh server (empty: no persistence) on the same port after `stop()`, as an operator's restart would. */
  restart(): Promise<void>;
  /** SIGSTOP: the server keeps its connections open but answers nothing, so commands time out. */
  freeze(): void;
  /** SIGCONT after `freeze()`: the server answers again, with all its data. */
  thaw(): void;
}

const INSTALL_HINT =
  'redis-server not found on PATH: install it with `apt-get install -y redis-server` (or run `sh scripts/ensure-deps.sh --debian` as root)';

function assertBinary(): void {
  const probe = spawnSync('redis-server', ['--version'], { stdio: 'ignore' });
  if (probe.error) throw new Error(INSTALL_HINT);
}

/** Sends one inline PING and resolves true on `+PONG`. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let data = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      if (data.includes('\r\n')) done(data.startsWith('+PONG'));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts `redis-server` on a free loopback port (below the ephemeral range, so `restart()` finds it
 * still free) and resolves once it answers PING. Throws with
 * the install command when the binary is missing. Always call `stop()` (e.g. in `afterAll`).
 */
export async function startRedisServer(options: { timeoutMs?: number } = {}): Promise<RedisServer> {
  assertBinary();
  const timeoutMs = options.timeoutMs ?? 10_000;
  const port = await freePortBelowEphemeral();
  let running = await spawnRedis(port, timeoutMs);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () => running.stop(),
    restart: async () => {
      await running.stop();
      running = await spawnRedis(port, timeoutMs);
    },
    freeze: () => running.child.kill('SIGSTOP'),
    thaw: () => running.child.kill('SIGCONT'),
  };
}

/** A Redis process started by a test: its child process, and `stop()` (SIGKILL, then wait for the exit). */
export interface RedisProcess {
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `redis-server` on `port` (loopback), without persistence (`--save ''
 * --appendonly no`), with `extraArgs` (e.g. `--replicaof`), and resolves once it answers PING.
 * Throws with the install command when the binary is missing.
 */
export function spawnRedis(port: number, timeoutMs: number, extraArgs: readonly string[] = []): Promise<RedisProcess> {
  return spawnAnswering(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--protected-mode',
      'yes',
      '--loglevel',
      'warning',
      ...extraArgs,
    ],
    port,
    timeoutMs,
    INSTALL_HINT,
  );
}

/**
 * Runs `command args` (a redis-server or a redis-sentinel listening on `port`) and resolves once it
 * answers PING; throws with `installHint` when the binary is missing, or when it exits or stays silent.
 * A test process that ends without `stop()` kills it on exit.
 */
export async function spawnAnswering(
  command: string,
  args: readonly string[],
  port: number,
  timeoutMs: number,
  installHint: string,
): Promise<RedisProcess> {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  let spawnError: Error | undefined;
  child.once('error', (e) => (spawnError = e));

  // A test process that ends without calling stop() must not leave an orphan redis-server.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited(child);
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (spawnError) throw new Error(`${installHint} (${spawnError.message})`);
    if (child.exitCode !== null) throw new Error(`${command} exited with code ${child.exitCode}: ${stderr.trim()}`);
    if (await ping(port)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${command} on port ${port} did not answer PING within ${timeoutMs} ms: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return { child, stop };
}
