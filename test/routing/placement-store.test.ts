import { randomUUID } from 'node:crypto';
import type { Booking } from '../../src/booking/booking';
import { booking as bookingFixture } from '../booking/confirmation/booking-fixture';
import type { PlacementStore, PoolMcu } from '../../src/routing/placement-store';
import { MemoryPlacementStore } from '../../src/routing/memory-placement-store';
import { RedisPlacementStore } from '../../src/routing/redis-placement-store';
import { createMemoryStore } from '../../src/store/memory-store';
import { digitsNumberSpace } from '../../src/store/number-space';
import { connectRedis, type RedisClient } from '../../src/store/redis-connection';
import { createRedisStore } from '../../src/store/redis-store';
import type { Store } from '../../src/store/store';
import { startRedisServer, type RedisServer } from '../support/redis-server';

const MIN = 60_000;
const mcus: PoolMcu[] = [
  { id: 'mcu1', uri: 'sip:{number}@127.0.0.1:5071', capacity: 10, weight: 1 },
  { id: 'mcu2', uri: 'sip:{number}@127.0.0.1:5072', capacity: 10, weight: 1 },
];

async function book(store: Store, estimatedConnections: number): Promise<Booking> {
  const now = Date.now();
  const { number: _n, ...booking } = bookingFixture({
    id: randomUUID(),
    title: 'T',
    startsAt: new Date(now).toISOString(),
    endsAt: new Date(now + 60 * MIN).toISOString(),
    estimatedConnections,
  });
  return store.bookings.create(booking, { start: now - 10 * MIN, end: now + 70 * MIN });
}

/** The same placement contract for the Redis script and the in-process store. */
describe.each(['redis', 'memory'] as const)('conference placement (%s)', (kind) => {
  let server: RedisServer | undefined;
  let redis: RedisClient | undefined;
  let store: Store;
  let placements: PlacementStore;
  /** Other live legs per booking, as the live set (Redis) or this instance's legs (memory) would show. */
  const otherLegs = new Map<string, number>();

  beforeAll(async () => {
    if (kind === 'redis') {
      server = await startRedisServer();
      redis = connectRedis(server.url);
    }
  });
  afterAll(async () => {
    await redis?.quit();
    await server?.stop();
  });
  beforeEach(async () => {
    otherLegs.clear();
    if (redis) {
      await redis.flushall();
      store = createRedisStore(redis, digitsNumberSpace(4));
      placements = new RedisPlacementStore(redis);
    } else {
      store = createMemoryStore(digitsNumberSpace(4));
      placements = new MemoryPlacementStore(store.bookings, (b) => otherLegs.get(b) ?? 0, 10 * MIN);
    }
  });

  const place = (bookingId: string, up = mcus) =>
    placements.place({ bookingId, participantId: randomUUID(), up, now: Date.now() });
  const holdLeg = async (bookingId: string) => {
    otherLegs.set(bookingId, (otherLegs.get(bookingId) ?? 0) + 1);
    await redis?.sadd(`{confgate}:live:${bookingId}`, randomUUID());
  };

  it('places a conference by reserved ports and keeps every later leg on the same MCU', async () => {
    const big = await book(store, 8);
    const small = await book(store, 3);
    const third = await book(store, 2);
    expect(await place(big.id)).toMatchObject({ kind: 'placed', mcuId: 'mcu1', number: big.number, title: 'T' });
    expect(await place(small.id)).toMatchObject({ mcuId: 'mcu2' });
    expect(await place(third.id)).toMatchObject({ mcuId: 'mcu2' }); // mcu2 has 3 reserved, mcu1 has 8
    expect(await place(big.id)).toMatchObject({ mcuId: 'mcu1' });
  });

  it('concurrent first legs of one conference all land on one MCU', async () => {
    const b = await book(store, 5);
    const results = await Promise.all(Array.from({ length: 20 }, () => place(b.id)));
    expect(new Set(results.map((r) => (r.kind === 'placed' ? r.mcuId : r.kind))).size).toBe(1);
  });

  it('a conference whose MCU is down is placed again when it has no live legs, and refused while it has', async () => {
    const b = await book(store, 5);
    expect(await place(b.id)).toMatchObject({ mcuId: 'mcu1' });
    await holdLeg(b.id);
    expect(await place(b.id, [mcus[1]!])).toEqual({ kind: 'mcu-down', mcuId: 'mcu1' });
    otherLegs.clear();
    await redis?.del(`{confgate}:live:${b.id}`);
    expect(await place(b.id, [mcus[1]!])).toMatchObject({ kind: 'placed', mcuId: 'mcu2' });
    expect(await place(b.id)).toMatchObject({ mcuId: 'mcu2' });
  });

  it('a conference whose MCU is lost under live legs is moved once: later movers follow its new MCU', async () => {
    const b = await book(store, 5);
    expect(await place(b.id)).toMatchObject({ mcuId: 'mcu1' });
    await holdLeg(b.id);
    await holdLeg(b.id);
    const moveOff = (up: PoolMcu[]) =>
      placements.place({ bookingId: b.id, participantId: randomUUID(), up, now: Date.now(), lost: 'mcu1' });
    const third: PoolMcu = { id: 'mcu3', uri: 'sip:{number}@127.0.0.1:5073', capacity: 10, weight: 1 };
    // Both legs move: the first mover places it again, the second (one more MCU up meanwhile) follows.
    expect(await moveOff([mcus[1]!])).toMatchObject({ kind: 'placed', mcuId: 'mcu2' });
    expect(await moveOff([third, mcus[1]!])).toMatchObject({ kind: 'placed', mcuId: 'mcu2' });
    expect(await place(b.id)).toMatchObject({ mcuId: 'mcu2' });
    expect(await moveOff([])).toEqual({ kind: 'no-mcu' });
  });

  it('no MCU up, or no such booking', async () => {
    const b = await book(store, 5);
    expect(await place(b.id, [])).toEqual({ kind: 'no-mcu' });
    expect(await place(randomUUID())).toEqual({ kind: 'no-booking' });
  });
});
