import type { RedisClient } from './redis-connection';
import type { StoreHealth } from './store-health';

/** How often the store is probed, and how long a PING may take before the store counts as down. */
export const STORE_PROBE = { intervalMs: 500, timeoutMs: 1_000 } as const;

/**
 * Feeds `health` from a Redis client: down as soon as the connection closes (a stopped server, a
 * failover: at once), or when a PING gets no answer within `timeoutMs` (a frozen server keeps its
 * socket open, so only a probe notices: within `intervalMs + timeoutMs`, 1.5 s); up again when the
 * client is ready (reconnected, role checked under Sentinel) or a PING answers. Returns the function
 * that stops watching.
 */
export function watchRedisHealth(
  redis: RedisClient,
  health: StoreHealth,
  probe: { intervalMs: number; timeoutMs: number } = STORE_PROBE,
): () => void {
  // A probe sent before the latest reconnection says nothing about the new connection.
  let connection = 0;
  const ready = (): void => {
    connection++;
    health.observe(true);
  };
  const closed = (): void => health.observe(false);
  redis.on('ready', ready);
  redis.on('close', closed);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const once = async (): Promise<void> => {
    const sentOn = connection;
    let deadline: NodeJS.Timeout | undefined;
    const answered = await Promise.race([
      redis.ping().then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((resolve) => {
        deadline = setTimeout(() => resolve(false), probe.timeoutMs);
        deadline.unref();
      }),
    ]);
    clearTimeout(deadline);
    if (!stopped && (answered || sentOn === connection)) health.observe(answered);
    if (!stopped) next();
  };
  const next = (): void => {
    timer = setTimeout(() => void once(), probe.intervalMs);
    timer.unref();
  };
  next();
  return () => {
    stopped = true;
    clearTimeout(timer);
    redis.off('ready', ready);
    redis.off('close', closed);
  };
}
