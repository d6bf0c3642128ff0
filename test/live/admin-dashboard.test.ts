import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { alertEvent } from '../../src/call-log/alert-event';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { useRedisServer } from '../support/redis-fixture';
import { buildWebPages } from '../web/confgate-web';
import { ADMIN, admitThrough, bookNow, liveInstance, ringing, type LiveInstance } from './live-world';

/**
 * The admin dashboard in Debian's Chromium against two confgate instances on one real Redis:
 * instance A serves the page, instance B plays the dial-in holding the call (it admits through the
 * real admission, publishes the call's events and obeys kick commands from the channel).
 * Screenshots go to test-artifacts/live/.
 */
const redis = useRedisServer();
const artifacts = join(__dirname, '..', '..', 'test-artifacts', 'live');
let browser: TestBrowser;
let a: LiveInstance;
let b: LiveInstance;

beforeAll(async () => {
  buildWebPages();
  mkdirSync(artifacts, { recursive: true });
  browser = await launchBrowser({ viewport: { width: 1366, height: 900 }, timezoneId: 'UTC', locale: 'en-GB' });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await a?.close();
  await b?.close();
});

it('shows a participant appear without reloading, kicks it after confirmation (the holding instance gets the command), and shows refusals and alerts', async () => {
  await redis.client().flushall();
  a = await liveInstance(redis.client());
  b = await liveInstance(redis.client());
  const booking = await bookNow(a);
  const kicked: string[] = [];
  const stopListening = await b.live.commands.listen({
    kick: (participantId) => {
      kicked.push(participantId);
      // What ROUTING does on a kick: BYE both legs, release the slot, publish the end.
      void b.live.admission.release(participantId).then(() =>
        b.live.publish({
          kind: 'ended',
          at: Date.now(),
          callId: 'kicked-call',
          instanceId: 'instance-b',
          reason: 'kick',
          participantId,
          bookingId: booking.id,
        }),
      );
      return true;
    },
    end: () => 0,
  });

  const page = await browser.newPage();
  await page.goto(`${a.baseUrl}/admin`);
  await page.waitForURL(/\/login\?next=%2Fadmin/);
  await page.fill('#token', ADMIN);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/admin$/);
  await page.locator('#connection', { hasText: 'live' }).waitFor();
  const card = page.locator(`article[data-number="${booking.number}"]`);
  await card.locator('.used', { hasText: '0 / 3 connections' }).waitFor();
  // Marks this document: a reload would lose it.
  await page.evaluate(() => ((globalThis as unknown as { marker: number }).marker = 42));

  const pid = await admitThrough(b, booking, ringing('instance-b'));
  // The row appears with the admission and shows the MCU once the `connected` event that follows is drawn:
  // wait for the whole row (a CI run read it between the two).
  const row = page.locator(`tr[data-participant="${pid}"]`);
  await row
    .filter({ hasText: /Salle Turing · 1001.*127\.0\.0\.2.*tls.*ivr.*rfc4733.*Cisco-CP-Room Kit\/ce11.*mcu1/ })
    .waitFor({ timeout: 5000 });
  await card.locator('.used', { hasText: '1 / 3 connections' }).waitFor();
  expect(await card.locator('meter').getAttribute('value')).toBe('1');

  const waiting = ringing('instance-b', { displayName: 'Poste 12', transport: 'udp' });
  await b.live.publish(waiting);
  await page.locator(`tr[data-call="${waiting.callId}"]`).waitFor();
  await b.live.publish({
    kind: 'refused',
    at: Date.now(),
    callId: waiting.callId,
    instanceId: 'instance-b',
    reason: 'wrong-code',
    number: booking.number,
    source: '127.0.0.4',
  });
  b.live.events.publish(
    alertEvent({
      kind: 'too-many-attempts',
      scope: 'source',
      subject: '127.0.0.4',
      number: booking.number,
      count: 5,
      limit: 5,
      windowMs: 900000,
      at: Date.now(),
      callId: waiting.callId,
      instanceId: 'instance-b',
    }),
  );
  await page.locator('#feed li', { hasText: `Refused (wrong-code) on ${booking.number} from 127.0.0.4` }).waitFor();
  await page.locator('#feed li.alert', { hasText: 'Brute-force alert: source 127.0.0.4 reached 5/5' }).waitFor();
  await page.locator(`tr[data-call="${waiting.callId}"]`).waitFor({ state: 'detached' });
  await page.screenshot({ path: join(artifacts, 'dashboard-participant.png'), fullPage: true });

  // Cancel first: nothing happens.
  await row.getByRole('button', { name: /Kick/ }).click();
  await page.locator('#confirm[open]').waitFor();
  await page.click('#confirm-cancel');
  expect(kicked).toEqual([]);
  await row.getByRole('button', { name: /Kick/ }).click();
  await page
    .locator('#confirm-text', { hasText: `Remove Salle Turing · 1001 from conference ${booking.number}?` })
    .waitFor();
  await page.screenshot({ path: join(artifacts, 'dashboard-confirm-kick.png') });
  await page.click('#confirm-ok');
  await row.waitFor({ state: 'detached', timeout: 5000 });
  expect(kicked).toEqual([pid]);
  await card.locator('.used', { hasText: '0 / 3 connections' }).waitFor();

  // Lock with the keyboard: Tab to the button, Enter, confirm with Enter on the focused dialog button.
  await card.getByRole('button', { name: 'Lock' }).focus();
  await page.keyboard.press('Enter');
  await page.locator('#confirm[open]').waitFor();
  await page.focus('#confirm-ok');
  await page.keyboard.press('Enter');
  await card.locator('.locked').waitFor();
  expect(await page.evaluate(() => (globalThis as unknown as { marker: number }).marker)).toBe(42);
  const audit = (await a.call('GET', '/api/live/audit', ADMIN)).json().actions.map((x: { action: string }) => x.action);
  expect(audit).toEqual(['lock', 'kick']);
  await page.screenshot({ path: join(artifacts, 'dashboard-after-kick-and-lock.png'), fullPage: true });
  await stopListening();
  await page.close();
}, 60_000);

it('without a token the dashboard sends the visitor to the login page; an organiser token is refused', async () => {
  const page = await browser.newPage();
  await page.goto(`${a.baseUrl}/admin`);
  await page.waitForURL(/\/login/);
  const org = await a.call('POST', '/api/organizers', ADMIN, { name: 'Eve', email: 'eve@example.org' });
  await page.fill('#token', org.json().token);
  await page.keyboard.press('Enter');
  // Accepted as an organiser by the login page, refused by the dashboard's API: back to login, "expired".
  await page.waitForURL(/\/login\?next=%2Fadmin&reason=expired/, { timeout: 10_000 });
  await page.close();
}, 30_000);
