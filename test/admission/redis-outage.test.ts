import {
  RedisFixture,
  admitFrom,
  book,
  caller,
  makeWorld,
  participantIdOf,
  type AdmissionWorld,
} from './admission-world';

const redis = new RedisFixture();
beforeAll(() => redis.start());
afterAll(() => redis.stop());

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Two instances on the real clock, both renewing and reaping; A holds every slot of a 3-seat conference. */
async function fullConference(): Promise<{ w: AdmissionWorld; bookingId: string; held: string[] }> {
  const w = await makeWorld('redis', redis, { leaseSeconds: 1, renewSeconds: 0.2, reapSeconds: 0.2 });
  const b = await book(w, { startsAtMs: Date.now(), estimatedConnections: 3 });
  Object.defineProperty(w.clock, 'now', { get: () => Date.now() });
  const held: string[] = [];
  for (let i = 0; i < 3; i++) held.push(participantIdOf(await admitFrom(w.a, caller(`127.0.10.${i}`))));
  w.a.start();
  w.b.start();
  return { w, bookingId: b.id, held };
}

/** Retries an admission until it is decided (not `unavailable`), for at most `ms`. */
async function decidedWithin(w: AdmissionWorld, ms: number): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    const kind = (await admitFrom(w.b, caller('127.0.10.9'))).kind;
    if (kind !== 'unavailable' || Date.now() > deadline) return kind;
    await sleep(50);
  }
}

describe('admission through a Redis outage (real redis-server, real clock)', () => {
  it('a frozen Redis (SIGSTOP) for twice the lease: no participant is lost or reaped, the cap holds, admission decides again within 2 s', async () => {
    const { w, bookingId, held } = await fullConference();
    try {
      // A's renewals, sent into the frozen socket, would run on thaw and hide the expiry: A is quiet,
      // B's reaper meets the outage, and has the first word after it (the race its guard must win).
      w.a.stop();
      redis.process.freeze();
      await sleep(2_500); // commands time out (2 s): B sees the store down
      expect((await admitFrom(w.b, caller('127.0.10.8'))).kind).toBe('unavailable');
      redis.process.thaw();
      const thawed = Date.now();
      expect(await decidedWithin(w, 2_000)).toBe('full'); // A's expired leases still count
      expect(await w.b.reapExpired()).toEqual([]);
      w.a.start();
      expect(Date.now() - thawed).toBeLessThan(2_000);
      await sleep(1_500); // more than a lease after the store came back: reapers judge again
      expect(w.lost).toEqual([]);
      expect((await w.b.liveParticipants(bookingId)).map((p) => p.participantId).sort()).toEqual([...held].sort());
      expect((await admitFrom(w.b, caller('127.0.10.7'))).kind).toBe('full');
      expect(await w.a.release(held[0]!)).toBe(true);
      expect((await admitFrom(w.b, caller('127.0.10.7'))).kind).toBe('admitted');
    } finally {
      redis.process.thaw();
      w.a.stop();
      w.b.stop();
    }
  }, 20_000);

  it('a Redis restarted empty: the instance re-asserts its participants under its own id, so the cap stays exact', async () => {
    const { w, bookingId, held } = await fullConference();
    try {
      const booking = (await w.store.bookings.get(bookingId))!;
      await redis.process.stop();
      await sleep(2_000);
      await redis.process.restart(); // no persistence: bookings and participants are gone
      await book(w, { ...booking, startsAtMs: Date.parse(booking.startsAt), minutes: 60 });
      await sleep(1_000);
      expect(w.lost).toEqual([]);
      const live = await w.b.liveParticipants(bookingId);
      expect(live.map((p) => p.participantId).sort()).toEqual([...held].sort());
      expect(new Set(live.map((p) => p.instanceId))).toEqual(new Set(['A']));
      const storm = await Promise.all(
        Array.from({ length: 10 }, (_, i) => admitFrom(i % 2 ? w.a : w.b, caller(`127.0.11.${i}`))),
      );
      expect(storm.map((v) => v.kind)).toEqual(Array(10).fill('full'));
      expect(await w.a.release(held[1]!)).toBe(true);
      const after = await Promise.all(
        Array.from({ length: 10 }, (_, i) => admitFrom(i % 2 ? w.a : w.b, caller(`127.0.12.${i}`))),
      );
      expect(after.filter((v) => v.kind === 'admitted')).toHaveLength(1);
    } finally {
      w.a.stop();
      w.b.stop();
    }
  }, 20_000);

  it('a conference filled on the emptied store before the re-assertion goes past its cap: nobody connected is cut, nobody new gets in until it is back under', async () => {
    const w = await makeWorld('redis', redis);
    const b = await book(w, { estimatedConnections: 3 });
    const mine: string[] = [];
    for (let i = 0; i < 3; i++) mine.push(participantIdOf(await admitFrom(w.a, caller(`127.0.13.${i}`))));
    await w.clients[0]!.flushall(); // a failover that lost every write, bookings included
    await book(w, { id: b.id, estimatedConnections: 3 });
    const theirs: string[] = [];
    for (let i = 0; i < 3; i++) theirs.push(participantIdOf(await admitFrom(w.b, caller(`127.0.14.${i}`))));
    expect(await w.a.renewLeases()).toEqual([]);
    expect(w.lost).toEqual([]);
    const live = await w.b.liveParticipants(b.id);
    expect(live.map((p) => p.participantId).sort()).toEqual([...mine, ...theirs].sort());
    expect(live.filter((p) => mine.includes(p.participantId)).map((p) => [p.instanceId, p.joinedAt])).toEqual(
      Array(3).fill(['A', w.clock.now]),
    );
    const leaving = [...theirs.map((id) => [w.b, id] as const), [w.a, mine[0]!] as const];
    for (const [instance, id] of leaving) {
      expect((await admitFrom(w.b, caller('127.0.14.9'))).kind).toBe('full');
      expect(await instance.release(id)).toBe(true);
    }
    participantIdOf(await admitFrom(w.b, caller('127.0.14.9')));
  });
});
