import { createMemoryStore } from '../../src/store/memory-store';
import { digitsNumberSpace, listedNumberSpace } from '../../src/store/number-space';
import { connectRedis } from '../../src/store/redis-connection';
import { createRedisStore } from '../../src/store/redis-store';
import type { Store } from '../../src/store/store';
import { useRedisServer } from '../support/redis-fixture';
import { startRedisServer } from '../support/redis-server';
import { ADMIN, harness, validBooking, type Answer, type Harness } from './api-harness';

type Json = Record<string, any>;

function call(
  app: Harness,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  token?: string,
  payload?: unknown,
  lang?: string,
): Promise<Answer> {
  return app.call(method, url, token, payload, lang ? { 'accept-language': lang } : {});
}

const redis = useRedisServer();

async function redisStore(): Promise<Store> {
  const c = redis.client();
  await c.flushall();
  return createRedisStore(c, digitsNumberSpace(4));
}

const stores: Array<[string, () => Promise<Store>]> = [
  ['in-process store', async () => createMemoryStore(digitsNumberSpace(4))],
  ['Redis store', redisStore],
];

describe.each(stores)('conference API on the %s', (_name, makeStore) => {
  let h: Harness;
  let alice: { id: string; token: string };
  let bob: { id: string; token: string };
  beforeEach(async () => {
    h = await harness(await makeStore());
    alice = await h.organizer('Alice');
    bob = await h.organizer('Bob');
  });
  afterEach(() => h.close());

  it('books a conference: 201 with number, access code, join information and mail status', async () => {
    const r = await call(h, 'POST', '/api/conferences', alice.token, {
      ...validBooking,
      accessCode: 7391,
      recipients: ['x@example.org', 'X@EXAMPLE.org'],
    });
    expect(r.statusCode).toBe(201);
    const b = r.json() as Json;
    expect(b).toMatchObject({
      organizerId: alice.id,
      title: 'Réunion équipe',
      accessCode: 7391,
      startsAt: '2026-12-02T13:00:00.000Z',
      endsAt: '2026-12-02T14:30:00.000Z',
      recipients: ['x@example.org'],
      status: 'active',
      sequence: 0,
      language: 'en',
      mail: { state: 'pending', attempts: 0 },
    });
    expect(b.number).toMatch(/^\d{4}$/);
    expect(b.joinInfo).toEqual({
      sipUri: `sip:${b.number}@visio.example.org`,
      h323Uri: `h323:${b.number}@visio.example.org`,
      ip: 'visio.example.org',
      phone: '+33 1 23 45 67 89',
      desktopLink: `https://visio.example.org/join/${b.number}`,
      number: b.number,
      accessCode: 7391,
    });
    expect(h.notifier.calls.map((c) => [c.kind, c.organizer.id, c.booking.number])).toEqual([
      ['created', alice.id, b.number],
    ]);
    expect((await call(h, 'GET', `/api/conferences/${b.id}`, alice.token)).json()).toEqual(b);
  });

  it('keeps organisers apart: another organiser gets 404 on every route and sees only their own list', async () => {
    const a = (await call(h, 'POST', '/api/conferences', alice.token, validBooking)).json() as Json;
    const mine = (await call(h, 'POST', '/api/conferences', bob.token, validBooking)).json() as Json;
    for (const [method, url, body] of [
      ['GET', `/api/conferences/${a.id}`, undefined],
      ['PATCH', `/api/conferences/${a.id}`, { title: 'Piraté' }],
      ['DELETE', `/api/conferences/${a.id}`, undefined],
      ['POST', `/api/conferences/${a.id}/resend`, undefined],
    ] as const) {
      const r = await call(h, method, url, bob.token, body);
      expect([method, r.statusCode, r.json().error]).toEqual([method, 404, 'not_found']);
    }
    expect(
      ((await call(h, 'GET', '/api/conferences', bob.token)).json() as Json).conferences.map((c: Json) => c.id),
    ).toEqual([mine.id]);
    expect(h.notifier.kinds(a.id)).toEqual(['created']);
    expect(((await call(h, 'GET', `/api/conferences/${a.id}`, alice.token)).json() as Json).title).toBe(
      'Réunion équipe',
    );
  });

  it('lets the admin do everything on every booking', async () => {
    const a = (await call(h, 'POST', '/api/conferences', alice.token, validBooking)).json() as Json;
    const byAdmin = await call(h, 'POST', `/api/conferences?organizerId=${bob.id}`, ADMIN, validBooking);
    expect(byAdmin.statusCode).toBe(201);
    expect(byAdmin.json().organizerId).toBe(bob.id);
    const missing = await call(h, 'POST', '/api/conferences', ADMIN, validBooking);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors).toEqual([{ field: 'organizerId', code: 'required', message: 'is required' }]);
    expect(
      (await call(h, 'POST', '/api/conferences?organizerId=nobody', ADMIN, validBooking)).json().errors[0].code,
    ).toBe('not_found');
    expect(((await call(h, 'GET', '/api/conferences', ADMIN)).json() as Json).conferences).toHaveLength(2);
    expect((await call(h, 'PATCH', `/api/conferences/${a.id}`, ADMIN, { title: 'Par admin' })).json().title).toBe(
      'Par admin',
    );
    expect((await call(h, 'POST', `/api/conferences/${a.id}/resend`, ADMIN)).statusCode).toBe(202);
    expect((await call(h, 'DELETE', `/api/conferences/${a.id}`, ADMIN)).json().status).toBe('cancelled');
    // Mail for the admin's actions goes to the booking's organiser.
    expect(h.notifier.calls.filter((c) => c.booking.id === a.id).map((c) => [c.kind, c.organizer.id])).toEqual([
      ['created', alice.id],
      ['updated', alice.id],
      ['resend', alice.id],
      ['cancelled', alice.id],
    ]);
  });

  it('edits with the same rules, keeps the number, raises the sequence; a refused edit changes nothing', async () => {
    const a = (await call(h, 'POST', '/api/conferences', alice.token, validBooking)).json() as Json;
    const r = await call(h, 'PATCH', `/api/conferences/${a.id}`, alice.token, {
      start: '2026-12-03T09:00',
      duration: '02:00',
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      number: a.number,
      sequence: 1,
      startsAt: '2026-12-03T08:00:00.000Z',
      endsAt: '2026-12-03T10:00:00.000Z',
      accessCode: a.accessCode,
    });
    const bad = await call(h, 'PATCH', `/api/conferences/${a.id}`, alice.token, {
      estimatedConnections: 21,
      number: '1234',
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .errors.map((e: Json) => e.field)
        .sort(),
    ).toEqual(['estimatedConnections', 'number']);
    expect(((await call(h, 'GET', `/api/conferences/${a.id}`, alice.token)).json() as Json).sequence).toBe(1);
    const same = await call(h, 'PATCH', `/api/conferences/${a.id}`, alice.token, {
      duration: '02:00',
      title: ' Réunion équipe ',
    });
    expect([same.statusCode, same.json().sequence]).toEqual([200, 1]);
    expect(h.notifier.kinds(a.id)).toEqual(['created', 'updated']);
  });

  it('cancels: kept as cancelled, listed, not editable, cancelling again is harmless', async () => {
    const a = (await call(h, 'POST', '/api/conferences', alice.token, validBooking)).json() as Json;
    const c = await call(h, 'DELETE', `/api/conferences/${a.id}`, alice.token);
    expect(c.statusCode).toBe(200);
    expect(c.json()).toMatchObject({ id: a.id, status: 'cancelled', number: a.number, sequence: 1 });
    expect(((await call(h, 'GET', `/api/conferences/${a.id}`, alice.token)).json() as Json).status).toBe('cancelled');
    expect((await call(h, 'PATCH', `/api/conferences/${a.id}`, alice.token, { title: 'Encore' })).json().error).toBe(
      'cancelled',
    );
    expect((await call(h, 'DELETE', `/api/conferences/${a.id}`, alice.token)).statusCode).toBe(200);
    expect(h.notifier.kinds(a.id)).toEqual(['created', 'cancelled']);
    expect(await h.store.bookings.findActiveByNumberAt(a.number, Date.parse(a.startsAt))).toBeUndefined();
  });

  it('lists upcoming and past by the clock', async () => {
    const a = (
      await call(h, 'POST', '/api/conferences', alice.token, {
        ...validBooking,
        start: '2026-12-01T10:00',
        duration: '00:30',
      })
    ).json() as Json;
    const b = (await call(h, 'POST', '/api/conferences', alice.token, validBooking)).json() as Json;
    h.clock.now = new Date('2026-12-01T12:00:00Z');
    const ids = async (when: string) =>
      ((await call(h, 'GET', `/api/conferences?when=${when}`, alice.token)).json() as Json).conferences.map(
        (c: Json) => c.id,
      );
    expect(await ids('past')).toEqual([a.id]);
    expect(await ids('upcoming')).toEqual([b.id]);
    expect(await ids('all')).toEqual([a.id, b.id]);
    expect((await call(h, 'GET', '/api/conferences?when=tomorrow', alice.token)).json().errors[0]).toMatchObject({
      field: 'when',
      code: 'invalid_value',
    });
  });
});

describe('conference API: rules at their limits, nothing stored on a 400', () => {
  let h: Harness;
  let token: string;
  beforeAll(async () => {
    h = await harness(createMemoryStore(digitsNumberSpace(4)));
    token = (await h.organizer()).token;
  });
  afterAll(() => h.close());

  const list = (n: number): string[] => Array.from({ length: n }, (_, i) => `p${i}@example.org`);
  // Four values per row: jest would take a missing fourth as a `done` callback.
  const cases: Array<[string, number, Json, string]> = [
    ['title 24', 201, { title: 'a'.repeat(24) }, ''],
    ['title 25', 400, { title: 'a'.repeat(25) }, 'title'],
    ['code 999', 400, { accessCode: 999 }, 'accessCode'],
    ['code 1000', 201, { accessCode: 1000 }, ''],
    ['code 9999', 201, { accessCode: 9999 }, ''],
    ['code 10000', 400, { accessCode: 10000 }, 'accessCode'],
    ['start now − 1 min', 400, { start: '2026-12-01T09:59' }, 'start'],
    ['start now', 201, { start: '2026-12-01T10:00' }, ''],
    ['start 3 months', 201, { start: '2027-03-01T10:00' }, ''],
    ['start 3 months + 1 day', 400, { start: '2027-03-02T10:00' }, 'start'],
    ['duration 00:29', 400, { duration: '00:29' }, 'duration'],
    ['duration 00:30', 201, { duration: '00:30' }, ''],
    ['duration 08:00', 201, { duration: '08:00' }, ''],
    ['duration 08:01', 400, { duration: '08:01' }, 'duration'],
    ['connections 1', 400, { estimatedConnections: 1 }, 'estimatedConnections'],
    ['connections 2', 201, { estimatedConnections: 2 }, ''],
    ['connections 20', 201, { estimatedConnections: 20 }, ''],
    ['connections 21', 400, { estimatedConnections: 21 }, 'estimatedConnections'],
    ['recipients 20', 201, { recipients: list(20) }, ''],
    ['recipients 21', 400, { recipients: list(21) }, 'recipients'],
    ['recipients 21 with a case-only duplicate', 201, { recipients: [...list(20), 'P3@EXAMPLE.ORG'] }, ''],
    ['comment 500', 201, { comment: 'c'.repeat(500) }, ''],
    ['comment 501', 400, { comment: 'c'.repeat(501) }, 'comment'],
    ['acceptTerms false', 400, { acceptTerms: false }, 'acceptTerms'],
    ['unknown time zone', 400, { timeZone: 'Europe/Lutece' }, 'timeZone'],
    ['unknown field', 400, { number: '1234' }, 'number'],
  ];

  it.each(cases)('%s → %d', async (_label, status, change, field) => {
    const before = (await h.store.bookings.listAll()).length;
    const calls = h.notifier.calls.length;
    const r = await call(h, 'POST', '/api/conferences', token, { ...validBooking, ...change });
    expect(r.statusCode).toBe(status);
    if (status === 400) {
      expect(r.json()).toMatchObject({ error: 'validation_failed' });
      expect(r.json().errors.map((e: Json) => e.field)).toEqual([field]);
      expect(await h.store.bookings.listAll()).toHaveLength(before);
      expect(h.notifier.calls).toHaveLength(calls);
    } else {
      expect(await h.store.bookings.listAll()).toHaveLength(before + 1);
    }
  });

  it('answers in the request language (Accept-Language)', async () => {
    const body = { ...validBooking, title: 'a'.repeat(25), duration: '09:00' };
    const fr = await call(h, 'POST', '/api/conferences', token, body, 'fr-FR,fr;q=0.9,en;q=0.5');
    expect(fr.json().errors).toEqual([
      { field: 'title', code: 'too_long', message: 'doit faire au plus 24 caractères' },
      { field: 'duration', code: 'out_of_range', message: 'doit être compris entre 00:30 et 08:00' },
    ]);
    const en = await call(h, 'POST', '/api/conferences', token, body, 'de;q=1, en;q=0.8, fr;q=0.7');
    expect(en.json().errors[1].message).toBe('must be between 00:30 and 08:00');
  });
});

describe('conference API: protocol edges', () => {
  let h: Harness;
  let token: string;
  beforeEach(async () => {
    h = await harness(createMemoryStore(listedNumberSpace(['4242'])), { bodyLimitBytes: 4096 });
    token = (await h.organizer()).token;
  });
  afterEach(() => h.close());

  it('413 over the body limit, and nothing stored', async () => {
    const r = await call(h, 'POST', '/api/conferences', token, { ...validBooking, comment: 'x'.repeat(5000) });
    expect(r.statusCode).toBe(413);
    expect(r.json().error).toBe('payload_too_large');
    expect(await h.store.bookings.listAll()).toEqual([]);
  });

  it('400 on malformed JSON and on a non-object body', async () => {
    const r = await h.call('POST', '/api/conferences', token, '{"title": ');
    expect(r.statusCode).toBe(400);
    expect(r.json().errors).toEqual([{ field: '(body)', code: 'invalid_json', message: 'is not valid JSON' }]);
    const arr = await call(h, 'POST', '/api/conferences', token, [1, 2]);
    expect(arr.statusCode).toBe(400);
  });

  it('409 when no conference number is free in the window', async () => {
    expect((await call(h, 'POST', '/api/conferences', token, validBooking)).statusCode).toBe(201);
    const r = await call(h, 'POST', '/api/conferences', token, validBooking);
    expect(r.statusCode).toBe(409);
    expect(r.json().error).toBe('no_free_number');
    expect(await h.store.bookings.listAll()).toHaveLength(1);
  });

  it('401 without or with a wrong token (with WWW-Authenticate), 403 for an organiser on admin routes', async () => {
    const none = await call(h, 'GET', '/api/conferences');
    expect(none.statusCode).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect((await call(h, 'GET', '/api/conferences', 'not-a-token')).statusCode).toBe(401);
    expect((await call(h, 'GET', '/api/conferences', ADMIN.slice(0, -1))).statusCode).toBe(401);
    const r = await call(h, 'POST', '/api/organizers', token, { name: 'Mallory', email: 'm@example.org' });
    expect([r.statusCode, r.json().error]).toEqual([403, 'forbidden']);
    expect((await call(h, 'GET', '/api/organizers', token)).statusCode).toBe(403);
  });

  it('issues organiser tokens once and stores only their hash', async () => {
    const r = await call(h, 'POST', '/api/organizers', ADMIN, { name: 'Carol', email: 'carol@example.org' });
    expect(r.statusCode).toBe(201);
    const { token: issued, id } = r.json() as { token: string; id: string };
    expect(issued.length).toBeGreaterThanOrEqual(43);
    const stored = await h.store.organizers.get(id);
    expect(stored!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(issued);
    const listed = JSON.stringify((await call(h, 'GET', '/api/organizers', ADMIN)).json());
    expect(listed).toContain('Carol');
    expect(listed).not.toContain(issued);
    expect(listed).not.toContain('tokenHash');
    expect((await call(h, 'GET', '/api/conferences', issued)).statusCode).toBe(200);
    expect(
      (await call(h, 'POST', '/api/organizers', ADMIN, { name: '', email: 'nope', extra: 1 }))
        .json()
        .errors.map((e: Json) => e.code),
    ).toEqual(['too_short', 'invalid_email', 'unknown_field']);
  });

  it('a notifier that fails does not fail the booking', async () => {
    h.notifier.failWith = new Error('queue down');
    const r = await call(h, 'POST', '/api/conferences', token, validBooking);
    expect(r.statusCode).toBe(201);
    expect(await h.store.bookings.get(r.json().id)).toBeDefined();
    expect(h.logLines.some((l) => l.includes('confirmation could not be queued'))).toBe(true);
  });

  it('never logs the access code', async () => {
    const r = await call(h, 'POST', '/api/conferences', token, { ...validBooking, accessCode: 7391 });
    const id = r.json().id as string;
    await call(h, 'PATCH', `/api/conferences/${id}`, token, { accessCode: 8462 });
    await call(h, 'GET', `/api/conferences/${id}`, token);
    await call(h, 'PATCH', `/api/conferences/${id}`, token, { accessCode: 84620 });
    await call(h, 'DELETE', `/api/conferences/${id}`, token);
    expect(h.logLines.length).toBeGreaterThan(5);
    expect(h.logLines.some((l) => l.includes('booking created'))).toBe(true);
    const all = h.logLines.join('\n');
    for (const code of ['7391', '8462', '84620']) expect(all).not.toMatch(new RegExp(`(?<![0-9])${code}(?![0-9])`));
    expect(all).not.toContain(token);
  });

  it('unknown routes get a JSON 404', async () => {
    const r = await call(h, 'GET', '/api/nothing-here', token);
    expect([r.statusCode, r.json().error]).toEqual([404, 'not_found']);
  });
});

describe('health and API documentation', () => {
  it('/healthz is 200 with a reachable store; with Redis gone, /healthz and the API answer 503', async () => {
    const server = await startRedisServer();
    const c = connectRedis(server.url);
    c.on('error', () => undefined);
    const h = await harness(createRedisStore(c, digitsNumberSpace(4)));
    try {
      const up = await call(h, 'GET', '/healthz');
      expect([up.statusCode, up.json()]).toEqual([200, { status: 'ok', store: { kind: 'redis', reachable: true } }]);
      const organizer = await h.organizer();
      await server.stop();
      const down = await call(h, 'GET', '/healthz');
      expect([down.statusCode, down.json()]).toEqual([
        503,
        { status: 'degraded', store: { kind: 'redis', reachable: false } },
      ]);
      const refused = await call(h, 'POST', '/api/conferences', organizer.token, validBooking);
      expect([refused.statusCode, refused.json().error]).toEqual([503, 'store_unavailable']);
    } finally {
      await h.close();
      c.disconnect();
    }
  });

  it('/api/docs is an OpenAPI 3.1 document generated from the zod schemas', async () => {
    const h = await harness(createMemoryStore(digitsNumberSpace(4)));
    try {
      const doc = (await call(h, 'GET', '/api/docs')).json() as Json;
      expect(doc.openapi).toBe('3.1.0');
      const post = doc.paths['/api/conferences'].post;
      const body = post.requestBody.content['application/json'].schema;
      expect(body.additionalProperties).toBe(false);
      expect(body.properties.title).toMatchObject({ type: 'string', minLength: 1, maxLength: 24 });
      expect(body.properties.estimatedConnections).toMatchObject({ type: 'integer', minimum: 2, maximum: 20 });
      expect(body.required).toEqual(
        expect.arrayContaining(['title', 'start', 'timeZone', 'duration', 'estimatedConnections', 'acceptTerms']),
      );
      expect(post.responses['201'].content['application/json'].schema.properties.joinInfo.properties.sipUri).toEqual({
        type: 'string',
      });
      expect(Object.keys(doc.paths).sort()).toEqual([
        '/api/conferences',
        '/api/conferences/{id}',
        '/api/conferences/{id}/resend',
        '/api/organizers',
        '/healthz',
      ]);
      expect(Object.keys(doc.paths['/api/conferences/{id}']).sort()).toEqual(['delete', 'get', 'patch']);
    } finally {
      await h.close();
    }
  });
});
