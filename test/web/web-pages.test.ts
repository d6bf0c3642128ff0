import Fastify from 'fastify';
import { BookingService } from '../../src/booking/booking-service';
import { webPages } from '../../src/http/pages/web-pages';
import { createLogger } from '../../src/log/logger';
import { createMemoryStore } from '../../src/store/memory-store';
import { digitsNumberSpace } from '../../src/store/number-space';
import { RecordingNotifier } from '../booking/recording-notifier';
import { ADMIN_TOKEN, buildWebPages, startConfgate, type WebConfgate } from './confgate-web';

/**
 * The pages plugin over real HTTP, without a browser: what it serves and with which headers, and
 * the confirmation endpoint's access rules and content for each state of a booking.
 */
let app: WebConfgate;
let alice: string;
let bob: string;

beforeAll(async () => {
  buildWebPages();
  app = await startConfgate();
  alice = await app.organizerToken('Alice');
  bob = await app.organizerToken('Bob');
}, 60_000);

afterAll(() => app?.stop());

function tomorrow(): string {
  return new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
}

async function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(app.baseUrl + path, { headers });
}

describe('pages and assets', () => {
  it.each(['/', '/login', '/bookings', '/bookings/any-id', '/bookings/any-id/edit'])(
    '%s is an HTML page with a strict content security policy',
    async (path) => {
      const r = await get(path);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      const html = await r.text();
      expect(html).toMatch(/^<!DOCTYPE html>/);
      // Pages carry no booking data: each page's script fetches it with the token.
      expect(html).not.toContain('any-id');
    },
  );

  it('serves the compiled scripts and the stylesheet, revalidated by ETag', async () => {
    const js = await get('/assets/booking-page.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toContain("from './api.js'");
    const css = await get('/assets/style.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const etag = css.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]{22}"$/);
    expect((await get('/assets/style.css', { 'if-none-match': etag })).status).toBe(304);
    expect((await get('/assets/style.css', { 'if-none-match': '"other"' })).status).toBe(200);
  });

  it('answers 404 for anything outside the build, including a path that climbs out', async () => {
    for (const path of [
      '/assets/missing.js',
      '/assets/%2e%2e/index.html',
      '/assets/..%2f..%2fpackage.json',
      '/assets/.built',
    ]) {
      expect([path, (await get(path)).status]).toEqual([path, 404]);
    }
  });

  it('without a build the pages answer 503 with the command to run, and the rest of the app keeps working', async () => {
    const store = createMemoryStore(digitsNumberSpace(4));
    const log = createLogger('silent');
    const bookings = new BookingService({
      store,
      notifier: new RecordingNotifier(),
      log,
      settings: { earlyJoinMinutes: 10, graceMinutes: 10, maxMonthsAhead: 3, defaultLanguage: 'en' },
    });
    const bare = Fastify();
    // As in buildApp: route schemas are zod, parsed by the handlers, not fastify's JSON-schema validator.
    bare.setValidatorCompiler(() => () => true);
    await bare.register(webPages, {
      bookings,
      join: { publicHost: 'visio.example.org', phoneNumber: '', desktopLinkTemplate: 'https://{host}/join/{number}' },
      defaultLanguage: 'en',
      authenticate: async () => undefined,
      webRoot: '/nonexistent/confgate-web',
    });
    bare.get('/other', async () => ({ ok: true }));
    try {
      const page = await bare.inject({ url: '/' });
      expect(page.statusCode).toBe(503);
      expect(page.body).toContain('npm run build:web');
      expect((await bare.inject({ url: '/assets/style.css' })).statusCode).toBe(404);
      expect((await bare.inject({ url: '/other' })).json()).toEqual({ ok: true });
    } finally {
      await bare.close();
    }
  });
});

describe('GET /api/conferences/:id/confirmation', () => {
  async function book(
    token: string,
    language: 'fr' | 'en',
  ): Promise<{ id: string; number: string; accessCode: number }> {
    const r = await app.api('POST', '/api/conferences', token, {
      title: 'Séminaire',
      start: `${tomorrow()}T12:00`,
      timeZone: 'UTC',
      duration: '01:00',
      estimatedConnections: 3,
      acceptTerms: true,
      language,
    });
    expect(r.status).toBe(201);
    return r.body;
  }

  it('is the mail HTML of the booking in its language, for its organiser and the admin only', async () => {
    const b = await book(alice, 'fr');
    const mine = await fetch(`${app.baseUrl}/api/conferences/${b.id}/confirmation`, {
      headers: { authorization: `Bearer ${alice}` },
    });
    expect(mine.status).toBe(200);
    expect(mine.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(mine.headers.get('cache-control')).toBe('no-store');
    const html = await mine.text();
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('Votre conférence « Séminaire » est réservée.');
    expect(html).toContain(`${b.number} (terminer par #)`);
    expect(html).toContain(`${b.accessCode} (terminer par #)`);

    expect((await app.api('GET', `/api/conferences/${b.id}/confirmation`, ADMIN_TOKEN)).status).toBe(200);
    const other = await app.api('GET', `/api/conferences/${b.id}/confirmation`, bob);
    expect(other.status).toBe(404);
    expect(other.body.error).toBe('not_found');
    expect((await fetch(`${app.baseUrl}/api/conferences/${b.id}/confirmation`)).status).toBe(401);
    expect((await app.api('GET', '/api/conferences/unknown-id/confirmation', alice)).status).toBe(404);
  });

  it('follows the booking: changed after an edit, a cancellation without the access code after a cancel', async () => {
    const b = await book(alice, 'en');
    expect((await app.api('PATCH', `/api/conferences/${b.id}`, alice, { comment: 'Room 2' })).status).toBe(200);
    const changed = (await app.api('GET', `/api/conferences/${b.id}/confirmation`, alice)).body as string;
    expect(changed).toContain('Your conference &quot;Séminaire&quot; has been changed.');
    expect(changed).toContain('Room 2');
    expect((await app.api('DELETE', `/api/conferences/${b.id}`, alice)).status).toBe(200);
    const cancelled = (await app.api('GET', `/api/conferences/${b.id}/confirmation`, alice)).body as string;
    expect(cancelled).toContain('has been cancelled');
    expect(cancelled).not.toContain(String(b.accessCode));
  });
});
