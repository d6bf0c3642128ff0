import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { startSmtpTestServer, type ReceivedMail, type SmtpTestServer } from '../mail/smtp-test-server';
import { buildWebPages, PUBLIC_HOST, startConfgate, type WebConfgate } from './confgate-web';

/**
 * The organiser pages in Debian's Chromium against a real confgate on loopback: login, the booking
 * form with the API's field errors in French and English, the confirmation (the mail's own HTML,
 * checked against what the SMTP server received), the list, edit and cancel, and a keyboard-only
 * booking. Screenshots go to test-artifacts/web/.
 */
// Globals of the page, used inside `page.evaluate` callbacks that run in Chromium: the Node tsconfig
// has no DOM library, and adding it for everyone would change timer types across the project.
declare const document: any, navigator: any, sessionStorage: any, DOMParser: any;

const artifacts = join(__dirname, '..', '..', 'test-artifacts', 'web');
let browser: TestBrowser;
let smtp: SmtpTestServer;

beforeAll(async () => {
  buildWebPages();
  mkdirSync(artifacts, { recursive: true });
  smtp = await startSmtpTestServer();
  browser = await launchBrowser({
    timezoneId: 'Europe/Paris',
    locale: 'en-US',
    viewport: { width: 1366, height: 900 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await smtp?.stop();
});

/** `YYYY-MM-DD` of today + `days` in Paris, the zone the browser runs in. */
function parisDate(days: number): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Paris',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(Date.now() + days * 86_400_000));
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

async function logIn(page: Page, app: WebConfgate, token: string, path = '/'): Promise<void> {
  await page.goto(app.baseUrl + path);
  await page.waitForURL(/\/login\?/);
  await page.fill('#token', token);
  await page.click('button[type=submit]');
  await page.waitForURL((url) => url.pathname === path);
  await page.waitForSelector('main:not([hidden])');
}

/** The text a person reads in an HTML document's body, as the browser lays it out. */
function bodyText(page: Page, html: string): Promise<string> {
  return page.evaluate((source) => {
    const frame = document.createElement('div');
    frame.append(...Array.from(new DOMParser().parseFromString(source, 'text/html').body.childNodes));
    document.body.append(frame);
    const text = frame.innerText;
    frame.remove();
    return text;
  }, html);
}

/** The latest mail the SMTP server received whose text names conference `number`. */
async function mailAbout(number: string, timeoutMs = 10_000): Promise<ReceivedMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mail = [...smtp.received].reverse().find((m) => m.parsed.text?.includes(`${number} (end with #)`));
    if (mail) return mail;
    if (Date.now() > deadline) throw new Error(`no mail about conference ${number} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function fillValidBooking(page: Page, title: string): Promise<void> {
  await page.fill('#title', title);
  await page.fill('#date', parisDate(1));
  await page.fill('#time', '10:00');
  await page.selectOption('#duration', '01:30');
  await page.fill('#estimatedConnections', '6');
  await page.fill('#comment', 'Ordre du jour : budget');
}

/**
 * Books through the form: first a 25-character title (refused next to the field, in French then in
 * English), then a valid one; reads the confirmation and checks it against the API and the mail.
 * Returns the booking id.
 */
async function bookThroughForm(
  page: Page,
  app: WebConfgate,
  token: string,
  tag: string,
): Promise<{ id: string; number: string }> {
  await logIn(page, app, token);
  await page.selectOption('#language', 'fr');
  await expect(page.textContent('h1')).resolves.toBe('Réserver une conférence');
  await fillValidBooking(page, 'A'.repeat(25));
  // Recipients: add three, remove the middle one.
  for (const address of ['one@example.org', 'two@example.org', 'three@example.org']) {
    await page.click('#add-recipient');
    await page.keyboard.type(address);
  }
  await page.click('#recipient-list li:nth-child(2) button');
  const recipientInputs = page.locator('#recipient-list input');
  expect([
    await recipientInputs.nth(0).inputValue(),
    await recipientInputs.nth(1).inputValue(),
    await recipientInputs.count(),
  ]).toEqual(['one@example.org', 'three@example.org', 2]);
  await page.check('#acceptTerms');
  await expect(page.textContent('#title-count')).resolves.toBe('25/24');

  await page.click('#submit');
  await page.waitForSelector('#title-error:not([hidden])');
  expect(await page.textContent('#title-error')).toBe('doit faire au plus 24 caractères');
  expect(await page.getAttribute('#title', 'aria-invalid')).toBe('true');
  expect((await page.getAttribute('#title', 'aria-describedby'))!.split(' ')).toContain('title-error');
  expect(await page.textContent('#error-summary')).toContain('Titre : doit faire au plus 24 caractères');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('error-summary');
  // Only the title was wrong: no other field shows an error.
  expect(await page.$$eval('.field-error:not([hidden])', (els) => els.map((e) => e.id))).toEqual(['title-error']);
  await shot(page, `${tag}-title-error-fr`);

  await page.selectOption('#language', 'en');
  await page.click('#submit');
  await page.waitForFunction(
    () => document.getElementById('title-error')?.textContent === 'must be at most 24 characters',
  );
  expect(await page.textContent('label[for=title]')).toBe('Title');
  await shot(page, `${tag}-title-error-en`);

  // The summary links to the field; the corrected title (24 characters with accents) is accepted.
  await page.click('#error-summary a');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('title');
  await page.fill('#title', 'Réunion équipe 2026 été');
  await page.click('#submit');
  await page.waitForURL(/\/bookings\/[^/]+$/);
  const id = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!);
  await page.waitForSelector('#mail-body h2');
  await shot(page, `${tag}-confirmation`);

  // What the page shows matches the API.
  const api = await app.api('GET', `/api/conferences/${id}`, token);
  expect(api.status).toBe(200);
  const join = api.body.joinInfo;
  expect(join.sipUri).toBe(`sip:${api.body.number}@${PUBLIC_HOST}`);
  expect(api.body).toMatchObject({
    title: 'Réunion équipe 2026 été',
    duration: '01:30',
    estimatedConnections: 6,
    timeZone: 'Europe/Paris',
    language: 'en',
  });
  expect(api.body.recipients).toEqual(['one@example.org', 'three@example.org']);
  expect(await page.textContent('#code-sipUri')).toBe(join.sipUri);
  expect(await page.textContent('#code-number')).toBe(join.number);
  expect(await page.textContent('#code-accessCode')).toBe(String(join.accessCode));
  const mailText = await page.innerText('#mail-body');
  expect(mailText).toContain(`${join.number} (end with #)`);
  expect(mailText).toContain(`${join.accessCode} (end with #)`);
  expect(mailText).toContain(join.sipUri);
  expect(mailText).toContain(`${parisDate(1)} 10:00 Europe/Paris`);

  // ... and exactly what the e-mail shows: the HTML part the SMTP server received, as a reader sees it.
  const mail = await mailAbout(join.number as string);
  expect(mail.parsed.subject).toContain('Réunion équipe 2026 été');
  expect(mailText).toBe(await bodyText(page, mail.parsed.html as string));

  // Copy buttons put the exact values on the clipboard.
  for (const [what, value] of [
    ['sipUri', join.sipUri],
    ['number', join.number],
    ['accessCode', String(join.accessCode)],
  ] as const) {
    await page.click(`button[data-copy=${what}]`);
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(value);
  }
  expect(await page.textContent('#copy-status')).toBe('Copied: Access code');
  return { id, number: join.number as string };
}

describe('booking pages on the in-process store', () => {
  let app: WebConfgate;
  let token: string;
  beforeAll(async () => {
    app = await startConfgate({ smtpPort: smtp.port });
    token = await app.organizerToken('Alice');
  });
  afterAll(() => app?.stop());

  it('without a token every page sends to the login page; a wrong token is refused at the field; a 401 from the API ends the session', async () => {
    const page = await browser.newPage();
    try {
      for (const path of ['/', '/bookings', '/bookings/some-id', '/bookings/some-id/edit']) {
        await page.goto(app.baseUrl + path);
        await page.waitForURL(/\/login\?/);
        expect(new URL(page.url()).searchParams.get('next')).toBe(path);
      }
      await page.waitForSelector('main:not([hidden])');
      await page.fill('#token', 'not-a-token');
      await page.click('button[type=submit]');
      await page.waitForSelector('#token-error:not([hidden])');
      expect(await page.textContent('#token-error')).toBe('This token is not valid.');
      expect(await page.getAttribute('#token', 'aria-describedby')).toBe('token-error');
      await shot(page, 'login-refused');

      await page.fill('#token', token);
      await page.click('button[type=submit]');
      await page.waitForURL((url) => url.pathname === '/bookings/some-id/edit');
      // A booking that is not the organiser's is a 404 told on the page, not a crash.
      await page.waitForFunction(() => document.getElementById('form-status')?.textContent?.includes('404'));

      // The token stops working (here: replaced): the next API call sends back to the login page with a reason.
      await page.evaluate(() => sessionStorage.setItem('confgate.token', 'revoked-token'));
      await page.goto(app.baseUrl + '/bookings');
      await page.waitForURL(/\/login\?.*reason=expired/);
      await page.waitForSelector('#login-reason:not([hidden])');
      expect(await page.evaluate(() => sessionStorage.getItem('confgate.token'))).toBeNull();
    } finally {
      await page.close();
    }
  });

  it('books through the form: a 25-character title is refused next to its field in French and English, then the confirmation matches the API and the mail', async () => {
    const page = await browser.newPage();
    try {
      await bookThroughForm(page, app, token, 'memory');
    } finally {
      await page.close();
    }
  });

  it('lists the bookings, edits one (a refused value shown at its field, then saved) and cancels it after asking', async () => {
    const bob = await app.organizerToken('Bob');
    const book = async (title: string, days: number) => {
      const r = await app.api('POST', '/api/conferences', bob, {
        title,
        start: `${parisDate(days)}T09:00`,
        timeZone: 'Europe/Paris',
        duration: '01:00',
        estimatedConnections: 4,
        acceptTerms: true,
      });
      expect(r.status).toBe(201);
      return r.body as { id: string; number: string; accessCode: number };
    };
    const weekly = await book('Point hebdo', 2);
    await book('Revue projet', 3);
    const page = await browser.newPage();
    try {
      await logIn(page, app, bob, '/bookings');
      await page.waitForSelector('#bookings tbody tr');
      const rowCells = page.locator('#bookings tbody tr');
      const rows = [
        await rowCells.nth(0).locator('td').allTextContents(),
        await rowCells.nth(1).locator('td').allTextContents(),
      ];
      expect(await rowCells.count()).toBe(2);
      expect(rows.map((r) => r.slice(0, 5))).toEqual([
        [weekly.number, 'Point hebdo', `${parisDate(2)} 09:00 Europe/Paris`, '01:00', 'Booked'],
        [expect.stringMatching(/^\d{4}$/), 'Revue projet', `${parisDate(3)} 09:00 Europe/Paris`, '01:00', 'Booked'],
      ]);
      await shot(page, 'bookings-list');

      await page.click('a[aria-label="Change Point hebdo"]');
      await page.waitForURL((url) => url.pathname === `/bookings/${weekly.id}/edit`);
      await page.waitForFunction(() => document.getElementById('title').value === 'Point hebdo');
      expect(await page.textContent('h1')).toBe('Change the conference');
      expect(await page.inputValue('#accessCode')).toBe(String(weekly.accessCode));
      expect(await page.$('#acceptTerms')).toBeNull();
      await page.fill('#estimatedConnections', '21');
      await page.click('#submit');
      await page.waitForSelector('#estimatedConnections-error:not([hidden])');
      expect(await page.textContent('#estimatedConnections-error')).toBe('must be between 2 and 20');
      expect((await app.api('GET', `/api/conferences/${weekly.id}`, bob)).body.estimatedConnections).toBe(4);

      await page.fill('#estimatedConnections', '8');
      await page.selectOption('#duration', '02:00');
      await page.fill('#comment', 'Salle B');
      await page.click('#submit');
      await page.waitForURL((url) => url.pathname === `/bookings/${weekly.id}`);
      await page.waitForSelector('#mail-body h2');
      const mailText = await page.innerText('#mail-body');
      expect(mailText).toContain('has been changed');
      expect(mailText).toContain('02:00');
      const changed = (await app.api('GET', `/api/conferences/${weekly.id}`, bob)).body;
      expect(changed).toMatchObject({
        number: weekly.number,
        start: `${parisDate(2)}T09:00`,
        duration: '02:00',
        estimatedConnections: 8,
        comment: 'Salle B',
        sequence: 1,
      });

      // Saving an untouched form changes nothing: no PATCH, no new sequence.
      await page.goto(`${app.baseUrl}/bookings/${weekly.id}/edit`);
      await page.waitForFunction(() => document.getElementById('title').value === 'Point hebdo');
      await page.click('#submit');
      await page.waitForURL((url) => url.pathname === `/bookings/${weekly.id}`);
      expect((await app.api('GET', `/api/conferences/${weekly.id}`, bob)).body.sequence).toBe(1);

      await page.goto(app.baseUrl + '/bookings');
      const cancel = 'button[aria-label="Cancel… Point hebdo"]';
      await page.click(cancel);
      await page.waitForSelector('#cancel-dialog[open]');
      expect(await page.textContent('#cancel-question')).toContain('“Point hebdo”');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('cancel-keep');
      await shot(page, 'bookings-cancel-dialog');
      await page.click('#cancel-keep');
      await page.waitForSelector('#cancel-dialog:not([open])', { state: 'attached' });
      expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Cancel… Point hebdo');
      expect((await app.api('GET', `/api/conferences/${weekly.id}`, bob)).body.status).toBe('active');

      await page.click(cancel);
      await page.click('#cancel-confirm');
      await page.waitForFunction(
        () => document.getElementById('list-status')?.textContent === '“Point hebdo” is cancelled.',
      );
      const row = page.locator(`#bookings tr[data-id="${weekly.id}"]`);
      expect(await row.locator('td').nth(4).textContent()).toBe('Cancelled');
      expect(await row.locator('button, a[href$="/edit"]').count()).toBe(0);
      expect((await app.api('GET', `/api/conferences/${weekly.id}`, bob)).body.status).toBe('cancelled');
      await shot(page, 'bookings-cancelled');

      await page.goto(`${app.baseUrl}/bookings/${weekly.id}`);
      await page.waitForSelector('#mail-body h2');
      expect(await page.isVisible('#cancelled-notice')).toBe(true);
      expect(await page.isVisible('#codes')).toBe(false);
      expect(await page.innerText('#mail-body')).toContain('has been cancelled');

      await page.goto(app.baseUrl + '/bookings');
      await page.check('#when-past');
      await page.waitForSelector('#list-empty:not([hidden])');
      expect(await page.$$('#bookings tbody tr')).toHaveLength(0);
    } finally {
      await page.close();
    }
  });

  it('offers up to 20 recipient rows; removing one gives Add back and moves focus to the next row', async () => {
    const page = await browser.newPage();
    try {
      await logIn(page, app, token);
      for (let n = 1; n <= 20; n++) {
        await page.click('#add-recipient');
        await page.keyboard.insertText(`r${n}@example.org`);
      }
      expect(await page.isDisabled('#add-recipient')).toBe(true);
      expect(await page.textContent('label[for=recipient-20]')).toBe('Recipient 20');
      await page.click('button[aria-label="Remove recipient 5"]');
      expect(await page.isDisabled('#add-recipient')).toBe(false);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('recipient-5');
      expect(await page.inputValue('#recipient-5')).toBe('r6@example.org');
      expect(await page.locator('#recipient-list li').count()).toBe(19);
    } finally {
      await page.close();
    }
  });

  it('books with the keyboard alone: log in, fill every field, add a recipient, submit, copy the number', async () => {
    const kim = await app.organizerToken('Kim');
    const page = await browser.newPage();
    const focused = () => page.evaluate(() => document.activeElement?.id ?? '');
    /** Tabs forward until `id` has focus, proving it can be reached without a mouse. */
    const tabTo = async (id: string): Promise<void> => {
      for (let presses = 0; presses < 15; presses++) {
        if ((await focused()) === id) return;
        await page.keyboard.press('Tab');
      }
      throw new Error(`#${id} not reached with Tab (focus on #${await focused()})`);
    };
    try {
      await page.goto(app.baseUrl + '/');
      await page.waitForURL(/\/login\?/);
      await page.waitForSelector('main:not([hidden])');
      expect(await focused()).toBe('token');
      await page.keyboard.type(kim);
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => url.pathname === '/');
      await page.waitForSelector('main:not([hidden])');

      // Every control has a label a screen reader announces, and the page needs no sideways scrolling on a small laptop.
      const unlabelled = await page.evaluate(() =>
        Array.from(document.querySelectorAll('input, select, textarea, button'))
          .filter(
            (el: any) => (el.labels?.length ?? 0) === 0 && !el.getAttribute('aria-label') && !el.textContent.trim(),
          )
          .map((el: any) => el.id || el.outerHTML),
      );
      expect(unlabelled).toEqual([]);
      await page.setViewportSize({ width: 1280, height: 720 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);

      const [year, month, day] = parisDate(1).split('-');
      await tabTo('title');
      await page.keyboard.type('Au clavier');
      await tabTo('generateCode');
      await page.keyboard.press('Space');
      await page.keyboard.press('Shift+Tab');
      expect(await focused()).toBe('accessCode');
      await page.keyboard.type('4321');
      await page.keyboard.press('Tab');
      await tabTo('date');
      await page.keyboard.type(`${month}${day}${year}`);
      await tabTo('time');
      await page.keyboard.type('0930AM');
      await tabTo('timeZone');
      await page.keyboard.type('Europe/Be');
      await tabTo('duration');
      await page.keyboard.press('ArrowDown');
      await tabTo('type-video');
      await page.keyboard.press('ArrowRight');
      await tabTo('estimatedConnections');
      await page.keyboard.press('ArrowUp');
      await tabTo('comment');
      await page.keyboard.type('Sans souris');
      await tabTo('add-recipient');
      await page.keyboard.press('Enter');
      expect(await focused()).toBe('recipient-1');
      await page.keyboard.type('kb@example.org');
      await tabTo('acceptTerms');
      await page.keyboard.press('Space');
      await tabTo('submit');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/bookings\/[^/]+$/);
      await page.waitForSelector('#mail-body h2');
      await shot(page, 'keyboard-confirmation');

      const id = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!);
      const booked = (await app.api('GET', `/api/conferences/${id}`, kim)).body;
      expect(booked).toMatchObject({
        title: 'Au clavier',
        accessCode: 4321,
        start: `${parisDate(1)}T09:30`,
        timeZone: 'Europe/Berlin',
        duration: '01:15',
        type: 'audio',
        estimatedConnections: 6,
        comment: 'Sans souris',
        recipients: ['kb@example.org'],
      });

      // The copy buttons are reachable and work from the keyboard too.
      await page.focus('body');
      for (
        let presses = 0;
        presses < 20 && (await page.evaluate(() => document.activeElement?.dataset.copy)) !== 'number';
        presses++
      ) {
        await page.keyboard.press('Tab');
      }
      await page.keyboard.press('Enter');
      await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(booked.number);
    } finally {
      await page.close();
    }
  });
});

describe('booking pages on a real Redis store', () => {
  let redis: RedisServer;
  let app: WebConfgate;
  let token: string;
  beforeAll(async () => {
    redis = await startRedisServer();
    app = await startConfgate({ redisUrl: redis.url, smtpPort: smtp.port });
    token = await app.organizerToken('Rita');
  });
  afterAll(async () => {
    await app?.stop();
    await redis?.stop();
  });

  it('books through the form and shows the confirmation the mail carries', async () => {
    const page = await browser.newPage();
    try {
      const { id, number } = await bookThroughForm(page, app, token, 'redis');
      expect((await app.api('GET', `/api/conferences/${id}`, token)).body.number).toBe(number);
    } finally {
      await page.close();
    }
  });
});
