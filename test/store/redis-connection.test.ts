import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/free-port';
import { connectRedis, parseRedisUrl, type RedisClient } from '../../src/store/redis-connection';
import { digitsNumberSpace } from '../../src/store/number-space';
import { createRedisStore } from '../../src/store/redis-store';
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

describe('connectRedis through a real Sentinel', () => {
  it('finds the master named in a redis+sentinel:// URL and works against it', async () => {
    const master = await startRedisServer();
    const dir = mkdtempSync(join(tmpdir(), 'confgate-sentinel-'));
    const port = await freePort();
    // Sentinel rewrites its config file, so it gets its own writable one.
    writeFileSync(
      join(dir, 'sentinel.conf'),
      `port ${port}\nbind 127.0.0.1\ndir ${dir}\nsentinel monitor mymaster 127.0.0.1 ${master.port} 1\n`,
    );
    const sentinel = spawn('redis-server', [join(dir, 'sentinel.conf'), '--sentinel'], { stdio: 'ignore' });
    const client = connectRedis(`redis+sentinel://127.0.0.1:${port}/mymaster`);
    client.on('error', () => undefined);
    try {
      await client.set('through-sentinel', 'yes');
      const direct = connectRedis(master.url);
      expect(await direct.get('through-sentinel')).toBe('yes');
      direct.disconnect();
    } finally {
      client.disconnect();
      sentinel.kill('SIGKILL');
      await new Promise((r) => (sentinel.exitCode !== null ? r(undefined) : sentinel.once('exit', r)));
      await master.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('connectRedis on a real (one-node) Redis Cluster', () => {
  it('runs the booking store, Lua allocation included, through a redis+cluster:// URL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'confgate-cluster-'));
    const port = await freePort();
    const node = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(dir, 'nodes.conf'),
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
        '--cluster-announce-ip',
        '127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    const admin = connectRedis(`redis://127.0.0.1:${port}`);
    admin.on('error', () => undefined);
    let cluster: RedisClient | undefined;
    try {
      // One node serving every slot is a complete cluster (it announces 127.0.0.1 in CLUSTER SLOTS).
      for (let i = 0; ; i++) {
        try {
          await admin.call('CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
          break;
        } catch (e) {
          if (i > 50) throw e;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      for (let i = 0; !String(await admin.call('CLUSTER', 'INFO')).includes('cluster_state:ok'); i++) {
        if (i > 100) throw new Error('cluster did not become ok');
        await new Promise((r) => setTimeout(r, 100));
      }
      cluster = connectRedis(`redis+cluster://127.0.0.1:${port}`);
      cluster.on('error', () => undefined);
      const store = createRedisStore(cluster, digitsNumberSpace(4));
      const T = Date.parse('2027-01-15T09:00:00Z');
      const make = (i: number) => ({
        id: `b${i}`,
        organizerId: 'o',
        title: 'Cluster',
        accessCode: 4321,
        start: '2027-01-15T10:00',
        timeZone: 'Europe/Paris',
        duration: '01:00',
        startsAt: new Date(T).toISOString(),
        endsAt: new Date(T + 3_600_000).toISOString(),
        type: 'video' as const,
        estimatedConnections: 5,
        comment: '',
        recipients: [],
        calendarInvite: true,
        language: 'en' as const,
        status: 'active' as const,
        sequence: 0,
        createdAt: '2026-11-29T00:00:00.000Z',
        updatedAt: '2026-11-29T00:00:00.000Z',
      });
      const saved = await Promise.all(
        Array.from({ length: 50 }, (_, i) => store.bookings.create(make(i), { start: T, end: T + 3_600_000 })),
      );
      expect(new Set(saved.map((b) => b.number)).size).toBe(50);
      expect((await store.bookings.findActiveByNumberAt(saved[7]!.number, T + 60_000))!.id).toBe('b7');
      expect(await store.bookings.listByOrganizer('o')).toHaveLength(50);
    } finally {
      cluster?.disconnect();
      admin.disconnect();
      node.kill('SIGKILL');
      await new Promise((r) => (node.exitCode !== null ? r(undefined) : node.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
