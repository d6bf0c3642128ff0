/**
 * Benchmark of conference number allocation (`BookingRepository.create`) on a real loopback
 * redis-server and in process, in the default 4-digit space (9 000 numbers) with every booking in
 * the same window, so each one needs its own number: latency while the space is nearly empty, and
 * while it is nearly full (the random batch mostly misses, the exhaustive pass runs); throughput
 * with 200 bookings in flight over 4 connections. Run with `npm run bench:booking`.
 */
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import type { Booking } from '../src/booking/booking';
import { createMemoryStore } from '../src/store/memory-store';
import { digitsNumberSpace } from '../src/store/number-space';
import { connectRedis, type RedisClient } from '../src/store/redis-connection';
import { createRedisStore } from '../src/store/redis-store';
import type { Store } from '../src/store/store';
import { startRedisServer } from '../test/support/redis-server';

const T0 = Date.parse('2027-01-15T09:00:00Z');
const WINDOW = { start: T0 - 600_000, end: T0 + 3_600_000 + 600_000 };

function booking(): Omit<Booking, 'number'> {
  return {
    id: randomUUID(),
    organizerId: 'bench',
    title: 'Bench',
    accessCode: 4321,
    start: '2027-01-15T10:00',
    timeZone: 'Europe/Paris',
    duration: '01:00',
    startsAt: new Date(T0).toISOString(),
    endsAt: new Date(T0 + 3_600_000).toISOString(),
    type: 'video',
    estimatedConnections: 5,
    comment: '',
    recipients: [],
    calendarInvite: true,
    language: 'en',
    status: 'active',
    sequence: 0,
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
  };
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

/** Creates `count` bookings one at a time; returns p50/p99 latency (ms) of those after the first `skip`. */
async function sequential(store: Store, count: number, skip: number): Promise<[number, number]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await store.bookings.create(booking(), WINDOW);
    if (i >= skip) times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return [percentile(times, 0.5), percentile(times, 0.99)];
}

interface Row {
  store: string;
  empty: [number, number];
  full: [number, number];
  perSecond: number;
}

async function measure(name: string, make: () => Promise<Store[]>): Promise<Row> {
  // Nearly empty: the first 1 000 of 9 000 numbers (≤ 11 % taken).
  const [store] = await make();
  const empty = await sequential(store!, 1000, 0);
  // Nearly full: numbers 8 800 to 8 999 of 9 000 (≥ 97.8 % taken).
  await sequential(store!, 7800, 7800);
  const full = await sequential(store!, 199, 0);
  // Throughput: 2 000 bookings, 200 in flight, spread over the stores (connections).
  const stores = await make();
  const t = performance.now();
  for (let round = 0; round < 10; round++) {
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => stores[i % stores.length]!.bookings.create(booking(), WINDOW)),
    );
  }
  const perSecond = 2000 / ((performance.now() - t) / 1000);
  return { store: name, empty, full, perSecond };
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  rows.push(await measure('in process', () => Promise.resolve([createMemoryStore(digitsNumberSpace(4))])));
  const server = await startRedisServer();
  const clients: RedisClient[] = [];
  try {
    rows.push(
      await measure('Redis (loopback, 4 connections)', async () => {
        const fresh = Array.from({ length: 4 }, () => connectRedis(server.url));
        clients.push(...fresh);
        await fresh[0]!.flushall();
        return fresh.map((c) => createRedisStore(c, digitsNumberSpace(4)));
      }),
    );
  } finally {
    clients.forEach((c) => c.disconnect());
    await server.stop();
  }
  const fmt = (n: number): string => n.toFixed(3);
  console.log(
    `Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}, load ${loadavg()[0]!.toFixed(1)}.\n`,
  );
  console.log(
    '| store | create p50 / p99 ms, space ≤ 11 % full | create p50 / p99 ms, space ≥ 97.8 % full | bookings/s (200 in flight) |',
  );
  console.log('| --- | ---: | ---: | ---: |');
  for (const r of rows)
    console.log(
      `| ${r.store} | ${fmt(r.empty[0])} / ${fmt(r.empty[1])} | ${fmt(r.full[0])} / ${fmt(r.full[1])} | ${Math.round(r.perSecond).toLocaleString('en')} |`,
    );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
