import { Cluster, Redis } from 'ioredis';

/** Either a single Redis (direct or found through Sentinel) or a Redis Cluster; both run the store's Lua. */
export type RedisClient = Redis | Cluster;

/** The deployment shapes `connectRedis` understands, parsed from `REDIS_URL`. */
export type RedisTarget =
  | { mode: 'standalone'; url: string }
  | {
      mode: 'sentinel';
      sentinels: Array<{ host: string; port: number }>;
      masterName: string;
      password?: string;
      db: number;
      tls: boolean;
    }
  | { mode: 'cluster'; nodes: Array<{ host: string; port: number }>; password?: string; tls: boolean };

function hostList(list: string, defaultPort: number): Array<{ host: string; port: number }> {
  return list.split(',').map((entry) => {
    // `[::1]:26379` or `host:26379` or `host`
    const m = /^(?:\[([^\]]+)\]|([^:]+))(?::(\d+))?$/.exec(entry.trim());
    if (!m) throw new Error(`invalid host in Redis URL: ${entry}`);
    return { host: (m[1] ?? m[2])!, port: m[3] ? Number(m[3]) : defaultPort };
  });
}

/**
 * Parses a Redis URL. Three forms:
 * - `redis://[user:password@]host:6379[/db]` (or `rediss://` for TLS): one server.
 * - `redis+sentinel://[:password@]s1:26379,s2:26379/<masterName>[/db]` (or `rediss+sentinel://`):
 *   ask the Sentinels for the current master of `<masterName>`; the password is the master's.
 * - `redis+cluster://[:password@]n1:6379,n2:6379` (or `rediss+cluster://`): seed nodes of a Redis Cluster.
 *   The store keeps every booking key under one hash tag (see `redis-keys.ts`) so its scripts stay atomic.
 */
export function parseRedisUrl(url: string): RedisTarget {
  const m = /^(rediss?)\+(sentinel|cluster):\/\/(?:([^@/]*)@)?([^/]+)(?:\/(.*))?$/.exec(url);
  if (!m) {
    if (!/^rediss?:\/\//.test(url))
      throw new Error(`unsupported Redis URL scheme: ${url.replace(/\/\/[^@]*@/, '//***@')}`);
    return { mode: 'standalone', url };
  }
  const [, scheme, kind, auth, hosts, path] = m;
  const tls = scheme === 'rediss';
  const password = auth
    ? decodeURIComponent(auth.includes(':') ? auth.slice(auth.indexOf(':') + 1) : auth) || undefined
    : undefined;
  if (kind === 'cluster')
    return { mode: 'cluster', nodes: hostList(hosts!, 6379), ...(password ? { password } : {}), tls };
  const [masterName, db] = (path ?? '').split('/');
  if (!masterName)
    throw new Error(
      'redis+sentinel:// URL needs the master name as its path: redis+sentinel://s1:26379,s2:26379/mymaster',
    );
  return {
    mode: 'sentinel',
    sentinels: hostList(hosts!, 26379),
    masterName,
    ...(password ? { password } : {}),
    db: db ? Number(db) : 0,
    tls,
  };
}

/** A command unanswered this long fails: a hung (SIGSTOPped, swapping) server then looks down, not slow. */
export const REDIS_COMMAND_TIMEOUT_MS = 2_000;

/**
 * Reconnect delays grow by 50 ms a try up to 250 ms, so that a store back after an outage of any
 * length is used again within about a quarter of a second (admission must work within 2 s).
 */
export function reconnectDelay(attempt: number): number {
  return Math.min(attempt * 50, 250);
}

/**
 * Creates the ioredis client for a `REDIS_URL`. No `keyPrefix` is set: every key name is
 * spelled in full in `redis-keys.ts` and `docs/store.md`, so what an operator sees in
 * `redis-cli` is what the code writes. Commands fail after a bounded number of retries instead
 * of queueing forever, and after `commandTimeoutMs` on a hung server, so `/healthz` and the API
 * report an unreachable store promptly; reconnection keeps trying, every 250 ms at most.
 */
export function connectRedis(
  url: string,
  options: { connectionName?: string; commandTimeoutMs?: number } = {},
): RedisClient {
  const target = parseRedisUrl(url);
  const common = {
    maxRetriesPerRequest: 2,
    connectionName: options.connectionName ?? 'confgate',
    commandTimeout: options.commandTimeoutMs ?? REDIS_COMMAND_TIMEOUT_MS,
    retryStrategy: reconnectDelay,
  };
  switch (target.mode) {
    case 'standalone':
      return new Redis(target.url, common);
    case 'sentinel':
      return new Redis({
        ...common,
        sentinels: target.sentinels,
        name: target.masterName,
        db: target.db,
        ...(target.password ? { password: target.password } : {}),
        ...(target.tls ? { tls: {}, enableTLSForSentinelMode: true } : {}),
        // A dead master closes the connection, and ioredis asks the sentinels again (and checks the role
        // of what it reaches). A master demoted while alive (a manual failover, a partition) refuses
        // writes with READONLY: reconnect then too. The failed command is not resent; a write refused so
        // did nothing (a script aborts at its first write on a replica). ioredis's `failoverDetector` is
        // not used: with it (ioredis 6.0.0) a process whose client had quit did not exit (its sentinel
        // subscriptions stayed open).
        reconnectOnError: (err: Error) => err.message.startsWith('READONLY'),
      });
    case 'cluster':
      return new Cluster(target.nodes, {
        redisOptions: {
          ...common,
          ...(target.password ? { password: target.password } : {}),
          ...(target.tls ? { tls: {} } : {}),
        },
      });
  }
}
