import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildHttp } from '../../src/app/http';
import { createLive } from '../../src/app/live';
import type { Live } from '../../src/live/live';
import { obeyAdminCommands } from '../../src/app/obey-admin-commands';
import { createLogger } from '../../src/log/logger';
import { RecordingNotifier } from '../booking/recording-notifier';
import { callerScenario } from '../e2e/support/caller-scenario';
import {
  book,
  dialInConfig,
  eventually,
  startInstance,
  startSippMcu,
  type SippMcu,
} from '../e2e/support/dial-in-harness';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { runSipp } from '../support/sipp';
import { buildWebPages } from '../web/confgate-web';
import { ADMIN } from './live-world';

/**
 * The real path: a SIPp caller dials 5387*8688@ into ROUTING's dial-in (startDialIn, real Redis),
 * which connects it to a SIPp MCU; the admin sees it on /admin without reloading and kicks it; the
 * kick goes over confgate:commands to the dial-in, which sends BYE to both legs.
 */
let redis: RedisServer;
let mcu: SippMcu;
let instance: Awaited<ReturnType<typeof startInstance>>;
let live: Live;
let app: FastifyInstance;
let browser: TestBrowser;
let stopListening: () => Promise<void>;
const artifacts = join(__dirname, '..', '..', 'test-artifacts', 'live');

beforeAll(async () => {
  buildWebPages();
  mkdirSync(artifacts, { recursive: true });
  redis = await startRedisServer();
  mcu = await startSippMcu('127.0.0.51');
  // Leases renewed every second, so the lease backstop of a lost command shows within the test.
  const config = {
    ...dialInConfig(redis.url, [mcu.template], {}, { leaseSeconds: 5, renewSeconds: 1 }),
    adminToken: ADMIN,
  };
  instance = await startInstance(config);
  const log = createLogger('silent');
  live = createLive({
    config,
    store: instance.store,
    redis: instance.redis,
    log,
    admission: instance.dialIn.admission,
    records: instance.dialIn.records,
    defaultMetrics: false,
  });
  stopListening = await obeyAdminCommands(live.commands, instance.dialIn);
  app = await buildHttp({ config, store: instance.store, notifier: new RecordingNotifier(), log, live });
  await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchBrowser({ viewport: { width: 1366, height: 800 }, timezoneId: 'UTC' });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stopListening?.();
  await app?.close();
  await live?.close();
  await instance?.stop();
  await mcu?.stop();
  await redis?.stop();
});

it('a SIPp call appears on the dashboard without reloading; kicking it from the dashboard sends SIPp a BYE and the participant disappears', async () => {
  const booking = await book(instance.store);
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const page = await browser.newPage();
  await page.goto(`${base}/login?next=/admin`);
  await page.fill('#token', ADMIN);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/admin$/);
  const card = page.locator('article[data-number="5387"]');
  await card.locator('.used', { hasText: '0 / 5 connections' }).waitFor();
  await page.evaluate(() => ((globalThis as unknown as { marker: number }).marker = 7));

  const caller = runSipp({
    scenario: callerScenario({ user: '5387*8688', end: 'await-bye' }),
    remote: instance.remote,
    localIp: '127.0.0.52',
    calls: 1,
    timeoutSec: 30,
  });
  await eventually(() => instance.dialIn.legs.size === 1, 10_000);
  const [participant] = await instance.dialIn.admission.liveParticipants(booking.id);
  const row = page.locator(`tr[data-participant="${participant!.participantId}"]`);
  await row.waitFor({ timeout: 10_000 });
  await expect(row.textContent()).resolves.toContain('127.0.0.52');
  await page.screenshot({ path: join(artifacts, 'dashboard-sipp-call.png'), fullPage: true });

  await row.getByRole('button', { name: /Kick/ }).click();
  await page.click('#confirm-ok');
  const result = await caller;
  // The caller's scenario succeeds only if confgate's BYE arrived and was answered.
  expect(result).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
  await row.waitFor({ state: 'detached', timeout: 10_000 });
  await eventually(() => instance.dialIn.legs.size === 0);
  const [record] = await instance.dialIn.records.recent(1);
  expect(record).toMatchObject({ verdict: 'admitted', endedBy: 'kick', participantId: participant!.participantId });
  expect(await page.evaluate(() => (globalThis as unknown as { marker: number }).marker)).toBe(7);
  await page.screenshot({ path: join(artifacts, 'dashboard-sipp-kicked.png'), fullPage: true });
  await page.close();
}, 60_000);

it('a kick whose command reaches no instance still ends the call: the slot is released and the holder hangs up at its next lease renewal', async () => {
  await stopListening();
  stopListening = async () => {};
  const booking = (await instance.store.bookings.findActiveByNumberAt('5387', Date.now()))!;
  const caller = runSipp({
    scenario: callerScenario({ user: '5387*8688', end: 'await-bye' }),
    remote: instance.remote,
    localIp: '127.0.0.53',
    calls: 1,
    timeoutSec: 30,
  });
  await eventually(() => instance.dialIn.legs.size === 1, 10_000);
  const [participant] = await instance.dialIn.admission.liveParticipants(booking.id);
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const r = await fetch(`${base}/api/live/conferences/5387/participants/${participant!.participantId}/kick`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}` },
  });
  expect(await r.json()).toEqual({ kicked: participant!.participantId, instancesNotified: 0 });
  expect(await caller).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
  const [record] = await instance.dialIn.records.recent(1);
  expect(record).toMatchObject({ participantId: participant!.participantId, endedBy: 'lease-lost' });
}, 40_000);
