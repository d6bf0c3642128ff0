import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Booking } from '../../../src/booking/booking';
import { booking as bookingFixture } from '../../booking/confirmation/booking-fixture';
import { configSchema, type Config } from '../../../src/config/config-schema';
import { createLogger } from '../../../src/log/logger';
import { startDialIn, type DialIn } from '../../../src/app/dial-in';
import { listedNumberSpace } from '../../../src/store/number-space';
import { connectRedis, type RedisClient } from '../../../src/store/redis-connection';
import { createRedisStore } from '../../../src/store/redis-store';
import type { Store } from '../../../src/store/store';
import { freeUdpTcpPort, runSipp, type SippResult } from '../../support/sipp';

export const NUMBER = '5387';
export const CODE = '8688';
const MIN = 60_000;
const ROOT = join(__dirname, '..', '..', '..');

/** A SIPp playing the MCU on a loopback address, logging each INVITE's Request-URI and participant header. */
export interface SippMcu {
  /** URI template for `config.mcu`. */
  template: string;
  /** `{ ruri, participant, from }` of each INVITE received so far (`from`: the From header up to its tag). */
  invites(): Array<{ ruri: string; participant: string; from: string }>;
  /** Every line the scenario logged. */
  logLines(): string[];
  /** SIGTERM, or `SIGKILL` for an MCU that dies (sends nothing more), and wait for it to exit. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<SippResult>;
}

/** How much a SIPp MCU serves before it exits on its own (a bound, so a forgotten MCU never outlives its test). */
export interface SippMcuLimits {
  /** Calls (`-m`), default 1,000. */
  calls?: number;
  /** Seconds (`-timeout`), default 120. */
  timeoutSec?: number;
}

/** Starts a SIPp MCU (`-aa` answers OPTIONS pings) that serves calls until stopped or until its limits. */
export async function startSippMcu(
  ip: string,
  scenario:
    'mcu-answers' | 'mcu-hangs-up' | 'mcu-relay' | 'mcu-rings' | 'mcu-sends-requests' | 'mcu-refuses' = 'mcu-answers',
  port?: number,
  limits: SippMcuLimits = {},
): Promise<SippMcu> {
  const localPort = port ?? (await freeUdpTcpPort(ip));
  const dir = mkdtempSync(join(tmpdir(), 'confgate-mcu-'));
  const log = join(dir, 'mcu.log');
  let pid: number | undefined;
  const run = runSipp({
    scenario: { xml: readFileSync(join(__dirname, '..', 'sipp', `${scenario}.xml`), 'utf8') },
    localIp: ip,
    localPort,
    calls: limits.calls ?? 1000,
    timeoutSec: limits.timeoutSec ?? 120,
    extraArgs: ['-aa', '-trace_logs', '-log_file', log],
    onStart: (p) => (pid = p),
  });
  await new Promise((r) => setTimeout(r, 300));
  return {
    template: `sip:{number}@${ip}:${localPort}`,
    invites() {
      if (!existsSync(log)) return [];
      return [...readFileSync(log, 'utf8').matchAll(/INVITE (\S+) participant=(\S*) from=(.*)$/gm)].map((m) => ({
        ruri: m[1]!,
        participant: m[2]!,
        from: m[3]!.trim(),
      }));
    },
    logLines() {
      return existsSync(log)
        ? readFileSync(log, 'utf8')
            .split('\n')
            .filter((l) => l.trim() !== '')
        : [];
    },
    async stop(signal = 'SIGTERM') {
      if (pid !== undefined) process.kill(pid, signal);
      const r = await run;
      rmSync(dir, { recursive: true, force: true });
      return r;
    },
  };
}

/** The config of one test instance: loopback SIP on a free port, given MCUs, quick timers. */
export function dialInConfig(
  redisUrl: string,
  mcus: string[],
  over: Partial<Config['routing']> = {},
  admission: Partial<Config['admission']> = {},
): Config {
  return configSchema.parse({
    redisUrl,
    publicHost: '127.0.0.1',
    sip: { host: '127.0.0.1', port: 0, transports: ['udp'] },
    media: { bindAddress: '127.0.0.1', rtpPortMin: 40000, rtpPortMax: 40999 },
    mcu: mcus.map((uri) => ({ uri })),
    ivr: { promptsDir: join(ROOT, 'prompts') },
    routing: { healthIntervalMs: 600000, sweepIntervalMs: 200, ...over },
    admission,
    log: { level: 'silent' },
  });
}

/** A dial-in instance in this process on its own Redis connection, as `src/main.ts` would start it. */
export async function startInstance(
  config: Config,
): Promise<{ dialIn: DialIn; store: Store; redis: RedisClient; remote: string; stop(): Promise<void> }> {
  const redis = connectRedis(config.redisUrl!);
  const store = createRedisStore(redis, listedNumberSpace([NUMBER]));
  const dialIn = await startDialIn({ config, store, redis, log: createLogger('silent') });
  return {
    dialIn,
    store,
    redis,
    remote: `127.0.0.1:${dialIn.srf.address('udp').port}`,
    async stop() {
      await dialIn.stop();
      await store.close();
    },
  };
}

/** Books a conference (5387 unless `number` is given; code 8688) running now unless told otherwise. */
export async function book(
  store: Store,
  over: Partial<Booking> & { startsAtMs?: number; minutes?: number; number?: string; redis?: RedisClient } = {},
): Promise<Booking> {
  const { startsAtMs = Date.now() - 5 * MIN, minutes = 60, number, redis, ...rest } = over;
  // Another number: a store on the same connection whose number space is that number alone.
  const target = number && redis ? createRedisStore(redis, listedNumberSpace([number])) : store;
  const { number: _fixtureNumber, ...booking } = bookingFixture({
    id: randomUUID(),
    title: 'Réunion de test',
    startsAt: new Date(startsAtMs).toISOString(),
    endsAt: new Date(startsAtMs + minutes * MIN).toISOString(),
    estimatedConnections: 5,
    recipients: [],
    ...rest,
  });
  return target.bookings.create(booking, { start: startsAtMs - 10 * MIN, end: startsAtMs + minutes * MIN + 10 * MIN });
}

/** Polls until `check` holds (or fails after `ms`). */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A dial-in instance in a child process (node + SWC, as the product runs from source). */
export interface ChildInstance {
  remote: string;
  process: ChildProcess;
  /** SIGTERM and wait; or `kill -9` with `hard`. */
  stop(hard?: boolean): Promise<void>;
}

export async function startChildInstance(config: Config): Promise<ChildInstance> {
  const child = spawn(
    process.execPath,
    [
      '-r',
      join(ROOT, 'scripts', 'asn1', 'swc-register.js'),
      join(__dirname, 'dial-in-child.ts'),
      JSON.stringify(config),
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`dial-in child did not start: ${stderr}`)), 20000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`dial-in child exited (${code}): ${stderr}`)));
  });
  return {
    remote: `127.0.0.1:${port}`,
    process: child,
    async stop(hard = false) {
      if (child.exitCode === null && child.signalCode === null) child.kill(hard ? 'SIGKILL' : 'SIGTERM');
      await exited;
    },
  };
}
