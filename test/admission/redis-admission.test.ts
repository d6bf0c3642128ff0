import fc from 'fast-check';
import { constantTimeEqual } from '../../src/admission/admission-rules';
import { redisChannels, redisKeys } from '../../src/store/redis-keys';
import { SAME_CODE } from '../../src/admission/redis-admission-scripts';
import type { Redis } from 'ioredis';
import { admitFrom, book, caller, CODE, makeWorld, NUMBER, participantIdOf, RedisFixture, T0 } from './admission-world';

const redis = new RedisFixture();
beforeAll(() => redis.start());
afterAll(() => redis.stop());

/** Every key and every value in the database, as one string (for "was it stored?" checks). */
async function dumpAll(c: Redis): Promise<string> {
  const out: string[] = [];
  for (const key of await c.keys('*')) {
    const read: Record<string, () => Promise<unknown>> = {
      string: () => c.get(key),
      hash: () => c.hgetall(key),
      zset: () => c.zrange(key, '0', '-1', 'WITHSCORES'),
      set: () => c.smembers(key),
      stream: () => c.xrange(key, '-', '+'),
    };
    const type = await c.type(key);
    out.push(key, JSON.stringify(await (read[type] ?? (async () => type))()));
  }
  return out.join('\n');
}

/** Counts the commands clients send (not those scripts run inside Redis) while `work` runs. */
async function commandsSentDuring(work: () => Promise<unknown>): Promise<string[][]> {
  const marker = redis.connect();
  await marker.ping();
  const monitor = await redis.connect().monitor();
  const seen: string[][] = [];
  let markerArrived: () => void = () => {};
  const markerSeen = new Promise<void>((resolve) => (markerArrived = resolve));
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (args[0]?.toLowerCase() === 'echo' && args[1] === 'end-of-count') markerArrived();
    else if (source !== 'lua') seen.push(args);
  });
  await work();
  await marker.echo('end-of-count');
  await markerSeen;
  monitor.disconnect();
  return seen;
}

describe('Redis admission', () => {
  it('round trips per admitted call: lookup + admit + release = 3 on the IVR path, 2 for a direct dial; one renewal call for all leases', async () => {
    const w = await makeWorld('redis', redis);
    await book(w, { estimatedConnections: 20 });
    const ivrCall = async (): Promise<void> => {
      const source = caller('127.0.0.2');
      expect(await w.a.lookup(NUMBER, source)).toMatchObject({ kind: 'known' });
      const id = participantIdOf(await admitFrom(w.a, source));
      expect(await w.a.release(id)).toBe(true);
    };
    // ioredis sends a script's text (EVAL) the first time on a connection, EVALSHA after: one round trip either way.
    const first = await commandsSentDuring(ivrCall);
    expect(first.map((args) => args[0]!.toLowerCase())).toEqual(['eval', 'eval', 'eval']);
    const ivr = await commandsSentDuring(ivrCall);
    expect(ivr.map((args) => args[0]!.toLowerCase())).toEqual(['evalsha', 'evalsha', 'evalsha']);
    const direct = await commandsSentDuring(async () => {
      const id = participantIdOf(
        await w.b.admit({ number: NUMBER, code: CODE, via: 'direct-dial', source: caller('127.0.0.3') }),
      );
      await w.b.release(id);
    });
    expect(direct).toHaveLength(2);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push(participantIdOf(await admitFrom(w.a, caller(`127.0.8.${i}`))));
    const renewal = await commandsSentDuring(() => w.a.renewLeases());
    expect(renewal).toHaveLength(1);
    // EVAL(SHA) script numkeys leases-key deadline, then the ten participant ids.
    expect(renewal[0]!.slice(5).sort()).toEqual(ids.sort());
  });

  it('an admitted caller learns where its conference already is, among the MCUs routing sees up, in the same round trip', async () => {
    const w = await makeWorld('redis', redis);
    const booking = await book(w, { estimatedConnections: 20, title: 'Conseil 12' });
    const admit = (upMcus: string[] | undefined, code = CODE) =>
      w.a.admit({
        number: NUMBER,
        code,
        via: 'direct-dial',
        source: caller('127.0.0.4'),
        ...(upMcus ? { upMcus } : {}),
      });
    // Not placed yet: routing must run its placement script.
    expect(await admit(['mcu1', 'mcu2'])).not.toHaveProperty('placedOn');
    await w.clients[0]!.set(redisKeys.placement(booking.id), 'mcu2');
    const sent = await commandsSentDuring(async () =>
      expect(await admit(['mcu1', 'mcu2'])).toMatchObject({
        kind: 'admitted',
        placedOn: { mcuId: 'mcu2', title: 'Conseil 12' },
      }),
    );
    expect(sent).toHaveLength(1);
    // Its MCU is down in this instance's view, or no view was given: no placement (routing decides).
    expect(await admit(['mcu1'])).not.toHaveProperty('placedOn');
    expect(await admit(undefined)).not.toHaveProperty('placedOn');
    // A refusal says nothing about the conference.
    expect(await admit(['mcu1', 'mcu2'], '1111')).toEqual({ kind: 'wrong-code', language: 'fr' });
  });

  it('the Lua code compare agrees with constantTimeEqual', async () => {
    const c = redis.connect();
    const probe = `${SAME_CODE}\nif sameCode(ARGV[1], ARGV[2]) then return 1 end\nreturn 0`;
    const lua = async (a: string, b: string): Promise<boolean> => (await c.eval(probe, 0, a, b)) === 1;
    for (const [a, b] of [
      ['8688', '8688'],
      ['8688', '8689'],
      ['0688', '8688'],
      ['868', '8688'],
      ['', ''],
      ['8688', ''],
    ]) {
      expect(await lua(a!, b!)).toBe(constantTimeEqual(a!, b!));
    }
    const digits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 0, maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(digits, digits, fc.nat(5), async (a, b, flip) => {
        expect(await lua(a, b)).toBe(constantTimeEqual(a, b));
        expect(await lua(a, a)).toBe(a.length > 0);
        // The same code with one digit changed never matches, wherever the digit is.
        if (a.length > 0) {
          const i = flip % a.length;
          const changed = a.slice(0, i) + String((Number(a[i]) + 1) % 10) + a.slice(i + 1);
          expect(await lua(changed, a)).toBe(false);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('publishes each alert on the channel and appends it to the stream, without the code', async () => {
    const w = await makeWorld('redis', redis);
    await book(w);
    const subscriber = redis.connect();
    const messages: string[] = [];
    await subscriber.subscribe(redisChannels.alerts);
    subscriber.on('message', (_channel: string, message: string) => messages.push(message));
    for (let code = 1000; code < 1007; code++) await admitFrom(w.a, caller('127.0.0.66'), String(code));
    await redis.connect().ping();
    await new Promise((r) => setTimeout(r, 50));
    expect(messages).toHaveLength(1);
    const alert = JSON.parse(messages[0]!);
    expect(alert).toMatchObject({
      kind: 'too-many-attempts',
      scope: 'source',
      subject: '127.0.0.66',
      number: NUMBER,
      count: 5,
      limit: 5,
      windowMs: 900_000,
      at: T0,
      instanceId: 'A',
    });
    const stream = await w.clients[0]!.xrange(redisKeys.alerts(), '-', '+');
    expect(stream).toHaveLength(1);
    expect(JSON.parse(stream[0]![1][1]!)).toEqual(alert);
    expect(messages[0]).not.toMatch(/100[0-6]/);
  });

  it('takes fractional settings (windows and leases are whole milliseconds for Redis)', async () => {
    const w = await makeWorld('redis', redis, {
      sourceWindowMinutes: 1.0000001,
      leaseSeconds: 1.2345,
      renewSeconds: 1,
    });
    await book(w);
    const kinds = [];
    for (let i = 0; i < 6; i++) kinds.push((await admitFrom(w.a, caller('127.0.0.2'), '0000')).kind);
    expect(kinds).toEqual([...Array(5).fill('wrong-code'), 'too-many-attempts']);
    const id = participantIdOf(await admitFrom(w.a, caller('127.0.0.3')));
    expect(
      (await w.a.liveParticipants((await w.store.bookings.findActiveByNumberAt(NUMBER, T0))!.id))[0],
    ).toMatchObject({ participantId: id, leaseUntil: T0 + 1235 });
  });

  it('bad input is never stored: no key or value holds it', async () => {
    const w = await makeWorld('redis', redis);
    await book(w);
    // Letters outside hex digits: a random id (participant, booking) can never hold them by chance.
    const garbage = ['wxyz', '9'.repeat(17), '86z8', '7'.repeat(40), 'evil callid', 'zz'.repeat(40)];
    await admitFrom(w.a, caller('127.0.0.2'), CODE, 'wxyz');
    await w.a.lookup('9'.repeat(17), caller('127.0.0.2'));
    await admitFrom(w.a, caller('127.0.0.2'), '86z8');
    await admitFrom(w.a, caller('127.0.0.2'), '7'.repeat(40));
    await admitFrom(w.a, { address: '127.0.0.2', callId: 'evil callid' });
    await admitFrom(w.a, { address: 'zz'.repeat(40), callId: 'x' });
    const dump = await dumpAll(w.clients[0]!);
    for (const g of garbage) expect(dump).not.toContain(g);
    expect(dump).toContain(redisKeys.attempts('source', '127.0.0.2')); // the malformed codes were counted
  });

  it("in real time: an instance whose connection dies holds 3 slots until its 1.5 s lease ends; the other instance's reaper frees them", async () => {
    const w = await makeWorld('redis', redis, { leaseSeconds: 1.5, renewSeconds: 0.25 });
    const b = await book(w, { startsAtMs: Date.now(), estimatedConnections: 3 });
    Object.defineProperty(w.clock, 'now', { get: () => Date.now() }); // both instances read this clock: make it the real one
    const held: string[] = [];
    for (let i = 0; i < 3; i++) held.push(participantIdOf(await admitFrom(w.a, caller(`127.0.9.${i}`))));
    w.a.start();
    await new Promise((r) => setTimeout(r, 1700)); // A renews 4 times a second: still held after its first lease
    expect((await admitFrom(w.b, caller('127.0.9.9'))).kind).toBe('full');
    w.a.stop();
    w.clients[0]!.disconnect(); // "kill -9": no more renewals, no release
    await new Promise((r) => setTimeout(r, 1600));
    expect((await w.b.reapExpired()).sort()).toEqual(held.sort());
    expect(await w.b.liveParticipants(b.id)).toEqual([]);
    expect((await admitFrom(w.b, caller('127.0.9.9'))).kind).toBe('admitted');
  });

  it('an unreachable Redis answers unavailable, and release reports it did not free', async () => {
    const w = await makeWorld('redis', redis);
    await book(w);
    const id = participantIdOf(await admitFrom(w.a, caller('127.0.0.2')));
    w.clients[0]!.disconnect();
    expect(await admitFrom(w.a, caller('127.0.0.3'))).toEqual({ kind: 'unavailable' });
    expect(await w.a.lookup(NUMBER, caller('127.0.0.3'))).toEqual({ kind: 'unavailable' });
    expect(await w.a.release(id)).toBe(false);
    expect(w.a.heldParticipants).toBe(0); // no longer renewed: its lease will free the slot
    await expect(w.a.reapExpired()).rejects.toThrow();
  });
});
