import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { freePort } from '../support/free-port';
import { startRedisServer } from '../support/redis-server';

const root = join(__dirname, '..', '..');
const ADMIN = 'admin-token-for-process-tests-0123';

interface Product {
  child: ChildProcess;
  output: () => string;
  base: string;
  exited: Promise<number | null>;
  sipPort: number;
}

/** Starts `src/main.ts` as its own process, as `npm start` does after building, on loopback. */
async function startProduct(env: Record<string, string>): Promise<Product> {
  const port = await freePort();
  const sipPort = await freePort();
  const child = spawn(
    process.execPath,
    ['-r', join(root, 'scripts', 'asn1', 'swc-register.js'), join(root, 'src', 'main.ts')],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        CONFGATE_HTTP_HOST: '127.0.0.1',
        CONFGATE_HTTP_PORT: String(port),
        CONFGATE_SIP_HOST: '127.0.0.1',
        CONFGATE_SIP_PORT: String(sipPort),
        CONFGATE_ADMIN_TOKEN: ADMIN,
        CONFGATE_LOG_LEVEL: 'info',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`confgate did not answer /healthz in 20 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, output: () => out, base, exited, sipPort };
}

async function stopProduct(p: Product): Promise<number | null> {
  p.child.kill('SIGTERM');
  return p.exited;
}

/** Sends one OPTIONS from a loopback UDP socket and resolves with the first response's text. */
function sipOptions(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error('no answer to OPTIONS in 5 s'));
    }, 5000);
    socket.on('message', (m) => {
      clearTimeout(timer);
      socket.close();
      resolve(m.toString('latin1'));
    });
    socket.bind(0, '127.0.0.1', () => {
      const local = socket.address().port;
      const request = [
        `OPTIONS sip:127.0.0.1:${port} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK-main-process-1;rport`,
        'Max-Forwards: 70',
        `From: <sip:probe@127.0.0.1>;tag=probe1`,
        `To: <sip:127.0.0.1:${port}>`,
        'Call-ID: main-process-options@127.0.0.1',
        'CSeq: 1 OPTIONS',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      socket.send(request, port, '127.0.0.1');
    });
  });
}

const json = async (r: Response): Promise<any> => JSON.parse(await r.text());

describe('confgate as a process', () => {
  it('without REDIS_URL: serves HTTP, warns loudly about the in-process store, stops cleanly on SIGTERM', async () => {
    const p = await startProduct({});
    try {
      const health = await fetch(`${p.base}/healthz`);
      expect(await json(health)).toEqual({ status: 'ok', store: { kind: 'memory', reachable: true } });
      expect(p.output()).toMatch(/REDIS_URL is not set: using the IN-PROCESS store.*NOT persisted.*NOT shared/);
      // The same process answers SIP: an OPTIONS over UDP gets 200 from confgate.
      const answer = await sipOptions(p.sipPort);
      expect(answer).toMatch(/^SIP\/2\.0 200 /);
      expect(answer).toMatch(/\r\nServer: confgate\//i);
      // …and counts it in /metrics (requests received and responses sent, by method and status).
      const metrics = await (await fetch(`${p.base}/metrics`)).text();
      expect(metrics).toMatch(/^confgate_sip_requests_total\{method="OPTIONS"\} 1$/m);
      expect(metrics).toMatch(
        /^confgate_sip_responses_total\{[^}]*method="OPTIONS"[^}]*status="200"[^}]*\} 1$|^confgate_sip_responses_total\{[^}]*status="200"[^}]*method="OPTIONS"[^}]*\} 1$/m,
      );
    } finally {
      expect(await stopProduct(p)).toBe(0);
    }
    expect(p.output()).toContain('confgate stopped');
  });

  it('with REDIS_URL: a booking survives a restart of the product', async () => {
    const redis = await startRedisServer();
    try {
      const first = await startProduct({ REDIS_URL: redis.url });
      let booking: { id: string; number: string };
      let token: string;
      try {
        const org = await fetch(`${first.base}/api/organizers`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'Alice', email: 'alice@example.org' }),
        });
        token = (await json(org)).token;
        const start = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10) + 'T10:00';
        const r = await fetch(`${first.base}/api/conferences`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            title: 'Survit',
            start,
            timeZone: 'Europe/Paris',
            duration: '01:00',
            estimatedConnections: 3,
            acceptTerms: true,
          }),
        });
        expect(r.status).toBe(201);
        booking = await json(r);
        expect(first.output()).not.toMatch(/IN-PROCESS/);
      } finally {
        expect(await stopProduct(first)).toBe(0);
      }
      const second = await startProduct({ REDIS_URL: redis.url });
      try {
        const again = await fetch(`${second.base}/api/conferences/${booking.id}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(again.status).toBe(200);
        expect(await json(again)).toMatchObject({
          id: booking.id,
          number: booking.number,
          title: 'Survit',
          status: 'active',
        });
      } finally {
        expect(await stopProduct(second)).toBe(0);
      }
    } finally {
      await redis.stop();
    }
  });

  it('an invalid setting stops start-up with the key and the rule', async () => {
    const child = spawn(
      process.execPath,
      ['-r', join(root, 'scripts', 'asn1', 'swc-register.js'), join(root, 'src', 'main.ts')],
      {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', CONFGATE_HTTP_PORT: '70000', REDIS_URL: 'http://nope' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(err).toMatch(/http\.port/);
    expect(err).toMatch(/redisUrl: must be a redis:\/\//);
  });
});
