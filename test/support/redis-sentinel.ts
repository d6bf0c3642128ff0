import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePortBelowEphemeral } from './free-port';
import { spawnAnswering, spawnRedis, type RedisProcess } from './redis-server';

/** The master name the sentinels monitor. */
export const SENTINEL_MASTER = 'mymaster';

/** Timing of the sentinels: how long a silent master takes to be declared down, and a failover's bound. */
export interface SentinelTiming {
  /** `down-after-milliseconds` (default 1000; 30 000 in Redis's sample config). */
  downAfterMs: number;
  /** `failover-timeout` (default 3000; 180 000 in Redis's sample config). */
  failoverTimeoutMs: number;
}

/** A master, one replica and three sentinels on loopback, started by a test. */
export interface SentinelGroup {
  /** `redis+sentinel://127.0.0.1:S1,127.0.0.1:S2,127.0.0.1:S3/mymaster`, for `REDIS_URL`. */
  url: string;
  masterPort: number;
  replicaPort: number;
  sentinelPorts: number[];
  /** `kill -9` of the current master's process. */
  killMaster(): void;
  /** The master the sentinels name now (`SENTINEL get-master-addr-by-name`), asked of the first sentinel that answers. */
  currentMasterPort(): Promise<number | undefined>;
  /** Stops every process (SIGKILL) and removes the sentinels' config files. */
  stop(): Promise<void>;
}

const INSTALL_HINT =
  'redis-sentinel not found on PATH: install it with `apt-get install -y redis-sentinel` (or run `sh scripts/ensure-deps.sh --debian` as root)';

/** One sentinel's config file: Sentinel rewrites it as it learns the replica, its peers and the failovers. */
function sentinelConfig(dir: string, port: number, masterPort: number, timing: SentinelTiming): string {
  const file = join(dir, `sentinel-${port}.conf`);
  writeFileSync(
    file,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      'loglevel warning',
      `sentinel monitor ${SENTINEL_MASTER} 127.0.0.1 ${masterPort} 2`,
      `sentinel down-after-milliseconds ${SENTINEL_MASTER} ${timing.downAfterMs}`,
      `sentinel failover-timeout ${SENTINEL_MASTER} ${timing.failoverTimeoutMs}`,
      `sentinel parallel-syncs ${SENTINEL_MASTER} 1`,
      '',
    ].join('\n'),
  );
  return file;
}

/** Polls `check` every 50 ms until it holds, or throws `what` after `ms`. */
async function until(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A short-lived client on one port for one question; never retries (the test asks again). */
async function ask<T>(port: number, question: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await question(client);
  } finally {
    client.disconnect();
  }
}

/**
 * Starts a master and its replica (`redis-server`, no persistence) and three `redis-sentinel`s
 * watching the master with quorum 2, all on loopback ports below the ephemeral range, and resolves
 * once the replica is in sync and every sentinel knows the replica and its two peers (so a failover
 * can be voted). Always call `stop()`.
 */
export async function startSentinelGroup(
  timing: SentinelTiming = { downAfterMs: 1_000, failoverTimeoutMs: 3_000 },
  timeoutMs = 20_000,
): Promise<SentinelGroup> {
  const dir = mkdtempSync(join(tmpdir(), 'confgate-sentinel-'));
  const processes: RedisProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(processes.map((p) => p.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const masterPort = await freePortBelowEphemeral();
    // The replica's full sync writes an RDB file in the server's directory: keep it out of the working tree.
    const master = await spawnRedis(masterPort, timeoutMs, ['--dir', dir]);
    processes.push(master);
    const replicaPort = await freePortBelowEphemeral();
    processes.push(
      await spawnRedis(replicaPort, timeoutMs, ['--dir', dir, '--replicaof', '127.0.0.1', String(masterPort)]),
    );
    await until(
      () => ask(replicaPort, (c) => c.info('replication')).then((i) => i.includes('master_link_status:up')),
      timeoutMs,
      'the replica did not sync with the master',
    );
    const sentinelPorts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const port = await freePortBelowEphemeral();
      const file = sentinelConfig(dir, port, masterPort, timing);
      processes.push(await spawnAnswering('redis-sentinel', [file], port, timeoutMs, INSTALL_HINT));
      sentinelPorts.push(port);
    }
    for (const port of sentinelPorts)
      await until(
        () =>
          ask(port, async (c) => {
            const replicas = (await c.call('SENTINEL', 'REPLICAS', SENTINEL_MASTER)) as unknown[];
            const peers = (await c.call('SENTINEL', 'SENTINELS', SENTINEL_MASTER)) as unknown[];
            return replicas.length === 1 && peers.length === 2;
          }),
        timeoutMs,
        `sentinel ${port} did not learn the replica and its two peers`,
      );
    return {
      url: `redis+sentinel://${sentinelPorts.map((p) => `127.0.0.1:${p}`).join(',')}/${SENTINEL_MASTER}`,
      masterPort,
      replicaPort,
      sentinelPorts,
      killMaster: () => master.child.kill('SIGKILL'),
      async currentMasterPort() {
        for (const port of sentinelPorts) {
          const addr = await ask(port, (c) => c.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', SENTINEL_MASTER)).catch(
            () => undefined,
          );
          if (Array.isArray(addr) && addr.length === 2) return Number(addr[1]);
        }
        return undefined;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
