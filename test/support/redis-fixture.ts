import { connectRedis, type RedisClient } from '../../src/store/redis-connection';
import { startRedisServer, type RedisServer } from './redis-server';

/**
 * One redis-server for a test file: started in `beforeAll`, stopped in `afterAll` together
 * with every client `client()` opened. Call at the top level of the file.
 */
export function useRedisServer(): { server: () => RedisServer; client: () => RedisClient } {
  let server: RedisServer | undefined;
  const clients: RedisClient[] = [];
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.quit().catch(() => undefined)));
    await server?.stop();
  });
  return {
    server: () => server!,
    client: () => {
      const c = connectRedis(server!.url);
      clients.push(c);
      return c;
    },
  };
}
