import { connect } from 'node:net';
import { connectRedis, parseRedisUrl } from '../../src/store/redis-connection';
import { startRedisServer, type RedisServer } from '../support/redis-server';

describe('parseRedisUrl', () => {
  it('keeps a plain redis:// URL for ioredis', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6390/2')).toEqual({ mode: 'standalone', url: 'redis://127.0.0.1:6390/2' });
  });

  it('reads Sentinel hosts, master name, db and password', () => {
    expect(parseRedisUrl('redis+sentinel://:s%40cret@10.0.0.1:26379,[::1],s3:26380/mymaster/3')).toEqual({
      mode: 'sentinel',
      sentinels: [
        { host: '10.0.0.1', port: 26379 },
        { host: '::1', port: 26379 },
        { host: 's3', port: 26380 },
      ],
      masterName: 'mymaster',
      password: 's@cret',
      db: 3,
      tls: false,
    });
  });

  it('reads Cluster seed nodes', () => {
    expect(parseRedisUrl('rediss+cluster://n1:7000,n2')).toEqual({
      mode: 'cluster',
      nodes: [
        { host: 'n1', port: 7000 },
        { host: 'n2', port: 6379 },
      ],
      tls: true,
    });
  });

  it('refuses a Sentinel URL without master name and unknown schemes', () => {
    expect(() => parseRedisUrl('redis+sentinel://s1:26379')).toThrow(/master name/);
    expect(() => parseRedisUrl('http://x:y@host')).toThrow(/unsupported Redis URL scheme: http:\/\/\*\*\*@host/);
  });
});

describe('connectRedis against a real redis-server', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('connects by URL and round-trips a value', async () => {
    const client = connectRedis(server.url);
    try {
      await client.set('probe', 'ok');
      expect(await client.get('probe')).toBe('ok');
    } finally {
      client.disconnect();
    }
  });

  it('stop() kills the server and waits for it', async () => {
    const other = await startRedisServer();
    await other.stop();
    await other.stop();
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: other.port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });
});
