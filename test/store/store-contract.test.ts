import { randomUUID } from 'node:crypto';
import type { Booking, Organizer } from '../../src/booking/booking';
import { createMemoryStore } from '../../src/store/memory-store';
import { digitsNumberSpace, listedNumberSpace, type NumberSpace } from '../../src/store/number-space';
import { connectRedis } from '../../src/store/redis-connection';
import { createRedisStore } from '../../src/store/redis-store';
import type { BookingWindow } from '../../src/booking/booking-repository';
import type { Store } from '../../src/store/store';
import { NoFreeNumberError, StaleBookingError } from '../../src/booking/repository-errors';
import { useRedisServer } from '../support/redis-fixture';
import { startRedisServer } from '../support/redis-server';

const MIN = 60_000;
const T0 = Date.parse('2026-12-01T09:00:00Z');
const MARGIN = 10 * MIN;

function booking(over: Partial<Booking> & { startMs?: number; minutes?: number } = {}): {
  b: Omit<Booking, 'number'>;
  w: BookingWindow;
} {
  const { startMs = T0, minutes = 60, ...rest } = over;
  const b: Omit<Booking, 'number'> = {
    id: randomUUID(),
    organizerId: 'org-a',
    title: 'Réunion',
    accessCode: 4321,
    start: '2026-12-01T10:00',
    timeZone: 'Europe/Paris',
    duration: '01:00',
    startsAt: new Date(startMs).toISOString(),
    endsAt: new Date(startMs + minutes * MIN).toISOString(),
    type: 'video',
    estimatedConnections: 5,
    comment: '',
    recipients: ['a@example.org'],
    calendarInvite: true,
    language: 'fr',
    status: 'active',
    sequence: 0,
    createdAt: '2026-11-29T10:00:00.000Z',
    updatedAt: '2026-11-29T10:00:00.000Z',
    ...rest,
  };
  return { b, w: { start: startMs - MARGIN, end: startMs + minutes * MIN + MARGIN } };
}

function organizer(id: string, tokenHash: string): Organizer {
  return {
    id,
    name: `Organiser ${id}`,
    email: `${id}@example.org`,
    tokenHash,
    createdAt: new Date(T0 + id.length).toISOString(),
  };
}

const redis = useRedisServer();
const redisClient = redis.client;

type Factory = (numbers: NumberSpace) => Promise<Store>;
const factories: Array<[string, Factory]> = [
  ['in-process store', async (numbers) => createMemoryStore(numbers)],
  [
    'Redis store',
    async (numbers) => {
      const c = redisClient();
      await c.flushall();
      return createRedisStore(c, numbers);
    },
  ],
];

describe.each(factories)('%s (contract)', (_name, make) => {
  const fourDigits = digitsNumberSpace(4);

  it('creates a booking with a 4-digit number and reads it back unchanged', async () => {
    const store = await make(fourDigits);
    const { b, w } = booking({ comment: 'salle B', recipients: [] });
    const saved = await store.bookings.create(b, w);
    expect(saved.number).toMatch(/^[1-9]\d{3}$/);
    expect(saved).toEqual({ ...b, number: saved.number });
    expect(await store.bookings.get(b.id)).toEqual(saved);
    expect(await store.bookings.get('nope')).toBeUndefined();
    await expect(store.bookings.create(b, w)).rejects.toBeInstanceOf(StaleBookingError);
  });

  it('never gives one number to two bookings whose windows overlap, margins included', async () => {
    const store = await make(listedNumberSpace(['4242']));
    const first = booking({ minutes: 60 });
    await store.bookings.create(first.b, first.w);
    // Starts 70 min later: its early-join window touches the first one's grace end.
    const touching = booking({ startMs: T0 + 80 * MIN });
    expect(touching.w.start).toBe(first.w.end);
    await expect(store.bookings.create(touching.b, touching.w)).rejects.toBeInstanceOf(NoFreeNumberError);
    expect(await store.bookings.get(touching.b.id)).toBeUndefined();
    const after = booking({ startMs: T0 + 80 * MIN + 1 });
    expect((await store.bookings.create(after.b, after.w)).number).toBe('4242');
  });

  it('keeps the number on an edit unless the new window collides, then moves to a free one', async () => {
    // Candidates always in the same order, so A and B (apart in time) both get 1111.
    const store = await make({ size: 2, sample: () => ['1111', '2222'], shuffled: () => ['1111', '2222'] });
    const a = booking();
    const savedA = await store.bookings.create(a.b, a.w);
    const b = booking({ startMs: T0 + 3 * 60 * MIN });
    const savedB = await store.bookings.create(b.b, b.w);
    expect([savedA.number, savedB.number]).toEqual(['1111', '1111']);
    const edited = await store.bookings.update({ ...savedA, title: 'Autre', sequence: 1 }, a.w);
    expect(edited.number).toBe(savedA.number);
    // Move A onto B's slot: B holds the number there, so A must change number.
    const moved = booking({ ...savedA, startMs: T0 + 3 * 60 * MIN, sequence: 2 });
    const savedMoved = await store.bookings.update(moved.b, moved.w);
    expect(savedMoved.number).not.toBe(savedB.number);
    expect((await store.bookings.get(savedA.id))!.number).toBe(savedMoved.number);
    expect((await store.bookings.findActiveByNumberAt(savedB.number, T0 + 3 * 60 * MIN))!.id).toBe(savedB.id);
    expect((await store.bookings.findActiveByNumberAt(savedMoved.number, T0 + 3 * 60 * MIN))!.id).toBe(savedA.id);
    expect(await store.bookings.findActiveByNumberAt(savedA.number, T0)).toBeUndefined();
  });

  it('refuses an edit that cannot get a number and leaves the booking as it was', async () => {
    const store = await make(listedNumberSpace(['1111']));
    const a = await store.bookings.create(booking().b, booking().w);
    const later = booking({ startMs: T0 + 5 * 60 * MIN });
    const b = await store.bookings.create(later.b, later.w);
    const clash = booking({ ...b, startMs: T0, sequence: 1 });
    await expect(store.bookings.update(clash.b, clash.w)).rejects.toBeInstanceOf(NoFreeNumberError);
    expect(await store.bookings.get(b.id)).toEqual(b);
    expect((await store.bookings.findActiveByNumberAt('1111', T0))!.id).toBe(a.id);
  });

  it('edits are compare-and-set on sequence', async () => {
    const store = await make(fourDigits);
    const { b, w } = booking();
    const saved = await store.bookings.create(b, w);
    await store.bookings.update({ ...saved, title: 'Un', sequence: 1 }, w);
    await expect(store.bookings.update({ ...saved, title: 'Deux', sequence: 1 }, w)).rejects.toThrow(
      /changed by someone else/,
    );
    expect((await store.bookings.get(b.id))!.title).toBe('Un');
    await expect(store.bookings.update({ ...saved, id: 'missing', sequence: 1 }, w)).rejects.toThrow(/not found/);
  });

  it('cancellation keeps the booking and its number on record but frees the number', async () => {
    const store = await make(listedNumberSpace(['7777']));
    const { b, w } = booking();
    const saved = await store.bookings.create(b, w);
    const cancelled = await store.bookings.update({ ...saved, status: 'cancelled', sequence: 1 }, w);
    expect(cancelled).toMatchObject({ status: 'cancelled', number: '7777', sequence: 1 });
    expect(await store.bookings.get(b.id)).toEqual(cancelled);
    expect(await store.bookings.findActiveByNumberAt('7777', T0)).toBeUndefined();
    const other = booking();
    expect((await store.bookings.create(other.b, other.w)).number).toBe('7777');
    expect((await store.bookings.listByOrganizer('org-a')).map((x) => x.status).sort()).toEqual([
      'active',
      'cancelled',
    ]);
  });

  it('finds the active booking by number and instant, window bounds included', async () => {
    const store = await make(listedNumberSpace(['5555']));
    const morning = booking({ minutes: 60 });
    const afternoon = booking({ startMs: T0 + 4 * 60 * MIN, minutes: 30 });
    const m = await store.bookings.create(morning.b, morning.w);
    const a = await store.bookings.create(afternoon.b, afternoon.w);
    expect(await store.bookings.findActiveByNumberAt('5555', morning.w.start - 1)).toBeUndefined();
    expect((await store.bookings.findActiveByNumberAt('5555', morning.w.start))!.id).toBe(m.id);
    expect((await store.bookings.findActiveByNumberAt('5555', morning.w.end))!.id).toBe(m.id);
    expect(await store.bookings.findActiveByNumberAt('5555', morning.w.end + 1)).toBeUndefined();
    expect((await store.bookings.findActiveByNumberAt('5555', afternoon.w.start + MIN))!.id).toBe(a.id);
    expect(await store.bookings.findActiveByNumberAt('5555', afternoon.w.end + 1)).toBeUndefined();
    expect(await store.bookings.findActiveByNumberAt('9999', T0)).toBeUndefined();
  });

  it('lists by organiser and overall, by start, filtered on the end instant', async () => {
    const store = await make(fourDigits);
    const late = booking({ startMs: T0 + 2 * 60 * MIN });
    const early = booking({ startMs: T0 });
    const past = booking({ startMs: T0 - 24 * 60 * MIN });
    const other = booking({ organizerId: 'org-b' });
    for (const x of [late, early, past, other]) await store.bookings.create(x.b, x.w);
    expect((await store.bookings.listByOrganizer('org-a')).map((x) => x.id)).toEqual([
      past.b.id,
      early.b.id,
      late.b.id,
    ]);
    expect((await store.bookings.listByOrganizer('org-a', { from: T0 })).map((x) => x.id)).toEqual([
      early.b.id,
      late.b.id,
    ]);
    expect((await store.bookings.listByOrganizer('org-a', { before: T0 })).map((x) => x.id)).toEqual([past.b.id]);
    expect((await store.bookings.listByOrganizer('org-b')).map((x) => x.id)).toEqual([other.b.id]);
    expect(await store.bookings.listByOrganizer('org-c')).toEqual([]);
    expect(await store.bookings.listAll()).toHaveLength(4);
  });

  it('keeps organisers, found by id and by token hash; refuses a duplicate', async () => {
    const store = await make(fourDigits);
    await store.organizers.create(organizer('o1', 'h1'));
    await store.organizers.create(organizer('o22', 'h2'));
    expect(await store.organizers.get('o1')).toEqual(organizer('o1', 'h1'));
    expect(await store.organizers.findByTokenHash('h2')).toEqual(organizer('o22', 'h2'));
    expect(await store.organizers.findByTokenHash('h3')).toBeUndefined();
    expect((await store.organizers.list()).map((o) => o.id)).toEqual(['o1', 'o22']);
    await expect(store.organizers.create(organizer('o1', 'h9'))).rejects.toThrow(/already exists/);
  });

  it('200 concurrent bookings of the same slot get 200 distinct numbers', async () => {
    const store = await make(fourDigits);
    const all = Array.from({ length: 200 }, () => booking());
    const saved = await Promise.all(all.map(({ b, w }) => store.bookings.create(b, w)));
    expect(new Set(saved.map((s) => s.number)).size).toBe(200);
    for (const s of saved) expect((await store.bookings.get(s.id))!.number).toBe(s.number);
  });

  it('200 concurrent bookings at staggered times over 20 numbers: no overlapping pair shares a number', async () => {
    const store = await make(listedNumberSpace(Array.from({ length: 20 }, (_, i) => String(3000 + i))));
    const all = Array.from({ length: 200 }, (_, i) =>
      booking({ startMs: T0 + ((i * 37) % 200) * 7 * MIN, minutes: 30 }),
    );
    const results = await Promise.allSettled(all.map(({ b, w }) => store.bookings.create(b, w)));
    const held = results.flatMap((r, i) =>
      r.status === 'fulfilled' ? [{ number: r.value.number, w: all[i]!.w }] : [],
    );
    expect(held).toHaveLength(200);
    for (const [i, x] of held.entries()) {
      for (const y of held.slice(i + 1)) {
        if (x.number === y.number) expect(x.w.start > y.w.end || y.w.start > x.w.end).toBe(true);
      }
    }
  });

  it('with a narrow number space, concurrent bookings beyond it are refused, never duplicated', async () => {
    const store = await make(listedNumberSpace(['1001', '1002', '1003', '1004', '1005']));
    const all = Array.from({ length: 40 }, () => booking());
    const results = await Promise.allSettled(all.map(({ b, w }) => store.bookings.create(b, w)));
    const ok = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.number] : []));
    const refused = results.filter((r) => r.status === 'rejected' && r.reason instanceof NoFreeNumberError);
    expect(ok.sort()).toEqual(['1001', '1002', '1003', '1004', '1005']);
    expect(refused).toHaveLength(35);
  });
});

describe('Redis store only', () => {
  it('200 concurrent bookings over 5 connections get 200 distinct numbers (atomic across clients)', async () => {
    const first = redisClient();
    await first.flushall();
    const stores = [first, ...Array.from({ length: 4 }, redisClient)].map((c) =>
      createRedisStore(c, digitsNumberSpace(4)),
    );
    const all = Array.from({ length: 200 }, () => booking());
    const saved = await Promise.all(all.map(({ b, w }, i) => stores[i % stores.length]!.bookings.create(b, w)));
    expect(new Set(saved.map((s) => s.number)).size).toBe(200);
  });

  it('a narrow space shared by 5 connections: exactly its size is booked, the rest refused', async () => {
    const first = redisClient();
    await first.flushall();
    const space = listedNumberSpace(['2001', '2002', '2003']);
    const stores = [first, ...Array.from({ length: 4 }, redisClient)].map((c) => createRedisStore(c, space));
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => booking()).map(({ b, w }, i) => stores[i % 5]!.bookings.create(b, w)),
    );
    const numbers = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.number] : []));
    expect(numbers.sort()).toEqual(['2001', '2002', '2003']);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof NoFreeNumberError)).toHaveLength(47);
  });

  it('bookings and organisers survive a restart of the product (a new client sees them)', async () => {
    const before = redisClient();
    await before.flushall();
    const storeBefore = createRedisStore(before, digitsNumberSpace(4));
    const { b, w } = booking();
    const saved = await storeBefore.bookings.create(b, w);
    await storeBefore.organizers.create(organizer('o1', 'h1'));
    await storeBefore.close();

    const storeAfter = createRedisStore(redisClient(), digitsNumberSpace(4));
    expect(await storeAfter.bookings.get(b.id)).toEqual(saved);
    expect((await storeAfter.bookings.findActiveByNumberAt(saved.number, T0))!.id).toBe(b.id);
    expect(await storeAfter.organizers.findByTokenHash('h1')).toEqual(organizer('o1', 'h1'));
  });

  it('a number-set member whose booking hash was removed by hand does not block the number', async () => {
    const c = redisClient();
    await c.flushall();
    const store = createRedisStore(c, listedNumberSpace(['6000']));
    const first = booking();
    await store.bookings.create(first.b, first.w);
    await c.del(`{confgate}:booking:${first.b.id}`);
    const second = booking();
    expect((await store.bookings.create(second.b, second.w)).number).toBe('6000');
  });

  it('ping fails when Redis is gone', async () => {
    const server = await startRedisServer();
    const c = connectRedis(server.url);
    c.on('error', () => undefined);
    const store = createRedisStore(c, digitsNumberSpace(4));
    await store.ping();
    await server.stop();
    await expect(store.ping()).rejects.toThrow();
    c.disconnect();
  });
});
