import { connectRedis, type RedisClient } from '../../src/store/redis-connection';
import { createRedisStore } from '../../src/store/redis-store';
import { listedNumberSpace } from '../../src/store/number-space';
import type { Store } from '../../src/store/store';
import { ADMIN, sipOptions, startProduct, type Product } from '../support/product-process';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { runSipp, type SippResult } from '../support/sipp';
import { callerScenario, type CallerPlan } from './support/caller-scenario';
import { book, eventually, NUMBER, startSippMcu, type SippMcu } from './support/dial-in-harness';

/** An admin's SSE client on `/api/events`: the text received so far, and when the server ended the stream. */
interface EventClient {
  text(): string;
  count(kind: string): number;
  ended: Promise<void>;
}

async function openEvents(base: string): Promise<EventClient> {
  const res = await fetch(`${base}/api/events`, { headers: { authorization: `Bearer ${ADMIN}` } });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  let text = '';
  const ended = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      text += Buffer.from(value).toString('utf8');
    }
  })();
  return { text: () => text, count: (kind) => text.split(`\nevent: ${kind}\n`).length - 1, ended };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The drain (`src/app/drain.ts`) of confgate as a process: real Redis, SIPp callers holding calls
 * through a SIPp MCU, an admin's SSE client connected, all on loopback; SIGTERM sent to the process.
 */
describe('drain: SIGTERM lets live calls end', () => {
  let redis: RedisServer;
  let client: RedisClient;
  let store: Store;
  let mcu: SippMcu;
  let product: Product | undefined;

  beforeAll(async () => {
    redis = await startRedisServer();
    client = connectRedis(redis.url);
    store = createRedisStore(client, listedNumberSpace([NUMBER]));
    await book(store);
    mcu = await startSippMcu('127.0.0.71');
  });
  afterEach(async () => {
    if (product && product.child.exitCode === null) product.child.kill('SIGKILL');
    product = undefined;
  });
  afterAll(async () => {
    await mcu?.stop();
    await store?.close();
    await redis?.stop();
  });

  /** The product with the MCU and Redis, 2 callers from `callerIp` connected through it, and an SSE client. */
  async function twoLiveCalls(
    drainSeconds: number,
    callerIp: string,
    plan: CallerPlan,
  ): Promise<{ p: Product; events: EventClient; calls: Promise<SippResult> }> {
    const p = await startProduct({
      REDIS_URL: redis.url,
      CONFGATE_MCU: mcu.template,
      CONFGATE_DRAIN_SECONDS: String(drainSeconds),
    });
    product = p;
    const events = await openEvents(p.base);
    const calls = runSipp({
      scenario: callerScenario(plan),
      remote: `127.0.0.1:${p.sipPort}`,
      localIp: callerIp,
      calls: 2,
      timeoutSec: 40,
    });
    await eventually(() => events.count('connected') === 2, 10_000);
    return { p, events, calls };
  }

  it('refuses new calls and OPTIONS, keeps the live calls to their end, closes SSE, then exits 0', async () => {
    const { p, events, calls } = await twoLiveCalls(3600, '127.0.0.72', {
      user: `${NUMBER}*8688`,
      end: 'hang-up',
      holdMs: 9000,
    });
    const signalledAt = Date.now();
    p.child.kill('SIGTERM');

    await eventually(async () => (await fetch(`${p.base}/healthz`)).status === 503);
    expect(await (await fetch(`${p.base}/healthz`)).json()).toMatchObject({ status: 'draining' });
    const options = await sipOptions(p.sipPort);
    expect(options).toMatch(/^SIP\/2\.0 503 /);
    expect(options).toMatch(/\r\nRetry-After: *\d+/i);
    const refused = await runSipp({
      scenario: callerScenario({ user: `${NUMBER}*8688`, end: 503, refusalHeader: 'Retry-After: *[0-9]+' }),
      remote: `127.0.0.1:${p.sipPort}`,
      localIp: '127.0.0.73',
      calls: 1,
      timeoutSec: 10,
    });
    expect(refused).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    expect(await (await fetch(`${p.base}/metrics`)).text()).toMatch(/^confgate_draining 1$/m);

    // 5 s into the drain: the process and both calls are still up.
    await sleep(Math.max(0, signalledAt + 5000 - Date.now()));
    expect(p.child.exitCode).toBeNull();
    expect(events.count('ended')).toBe(0);

    // The callers hang up by themselves; the process exits 0 soon after the last one.
    expect(await calls).toMatchObject({ exitCode: 0, successful: 2, failed: 0 });
    const lastCallEnded = Date.now();
    expect(await p.exited).toBe(0);
    expect(Date.now() - lastCallEnded).toBeLessThan(2000);
    // The SSE stream is told and ended (the last `ended` events may race it: a viewer resumes them elsewhere by Last-Event-ID).
    await events.ended;
    expect(events.text()).toMatch(/\nevent: closing\ndata: \{"reason":"shutting down"\}\n\n$/);
    expect(p.output()).not.toMatch(/shutdown took more than 10 s/);
  }, 60_000);

  it('with a short drain timeout, hangs up the calls still up with Reason 503 "shutting down"', async () => {
    const { p, events, calls } = await twoLiveCalls(1, '127.0.0.74', {
      user: `${NUMBER}*8688`,
      end: 'await-bye',
      byeReason: 'cause=503;text=&quot;shutting down&quot;',
    });
    p.child.kill('SIGTERM');
    expect(await calls).toMatchObject({ exitCode: 0, successful: 2, failed: 0 });
    expect(await p.exited).toBe(0);
    await events.ended;
    expect(events.text()).toMatch(/\nevent: closing\n/);
  }, 60_000);

  it('a caller still in the IVR when the drain ends gets the BYE with Reason 503 "shutting down" too', async () => {
    const p = await startProduct({ REDIS_URL: redis.url, CONFGATE_MCU: mcu.template, CONFGATE_DRAIN_SECONDS: '1' });
    product = p;
    const events = await openEvents(p.base);
    // Answered by the IVR, it keys nothing: it is still asked for its access code when the drain ends.
    const call = runSipp({
      scenario: callerScenario({
        user: NUMBER,
        end: 'await-bye',
        byeReason: 'cause=503;text=&quot;shutting down&quot;',
      }),
      remote: `127.0.0.1:${p.sipPort}`,
      localIp: '127.0.0.160',
      calls: 1,
      timeoutSec: 30,
    });
    await eventually(() => events.count('ringing') === 1, 10_000);
    await sleep(500);
    p.child.kill('SIGTERM');
    expect(await call).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    expect(await p.exited).toBe(0);
  }, 60_000);

  it('a second SIGTERM ends the drain at once', async () => {
    const { p, calls } = await twoLiveCalls(3600, '127.0.0.75', {
      user: `${NUMBER}*8688`,
      end: 'await-bye',
      byeReason: 'cause=503;text=&quot;shutting down&quot;',
    });
    p.child.kill('SIGTERM');
    await eventually(async () => (await fetch(`${p.base}/healthz`)).status === 503);
    const secondAt = Date.now();
    p.child.kill('SIGTERM');
    expect(await calls).toMatchObject({ exitCode: 0, successful: 2, failed: 0 });
    expect(await p.exited).toBe(0);
    expect(Date.now() - secondAt).toBeLessThan(5000);
  }, 60_000);
});
