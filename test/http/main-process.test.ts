import { ADMIN, sipOptions, spawnProduct, startProduct, stopProduct } from '../support/product-process';
import { startRedisServer } from '../support/redis-server';

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
    const child = spawnProduct({ CONFGATE_HTTP_PORT: '70000', REDIS_URL: 'http://nope' });
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(err).toMatch(/http\.port/);
    expect(err).toMatch(/redisUrl: must be a redis:\/\//);
  });
});
