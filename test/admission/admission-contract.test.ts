import { decideAdmission } from '../../src/admission/admission-rules';
import { configSchema } from '../../src/config/config-schema';
import type { AdmissionAnswer } from '../../src/admission/admission-port';
import { IvrMachine, type IvrAction, type IvrEvent } from '../../src/ivr/ivr-machine';
import { ivrSettings } from '../../src/ivr/ivr-settings';
import type { DialTarget } from '../../src/ivr/dial-target';
import type { AdmissionCaller, ConferenceAdmission } from '../../src/admission/conference-admission';
import { admissionCases, caseFacts, caseNow, caseWindow, type AdmissionCase } from './admission-cases';
import {
  admitFrom,
  book,
  caller,
  CODE,
  makeWorld,
  NUMBER,
  participantIdOf,
  RedisFixture,
  T0,
  type AdmissionWorld,
  type WorldKind,
} from './admission-world';

const MIN = 60_000;
const redis = new RedisFixture();
beforeAll(() => redis.start());
afterAll(() => redis.stop());

/** Builds the case's situation with real admissions, then asks as the case's caller. */
async function runCase(w: AdmissionWorld, c: AdmissionCase): Promise<AdmissionAnswer> {
  const window = caseWindow(T0, T0 + 60 * MIN, w.settings);
  const b = c.booking === 'none' ? undefined : await book(w, { estimatedConnections: c.cap ?? 5 });
  if (b && c.booking === 'cancelled') await w.store.bookings.update({ ...b, status: 'cancelled', sequence: 1 }, window);
  const now = caseNow(c, window);
  w.clock.now = now - (c.setupMinutesAgo ?? 0) * MIN;
  for (let i = 0; i < (c.live ?? 0); i++) expect((await admitFrom(w.b, caller(`127.0.1.${i}`))).kind).toBe('admitted');
  if (b && c.locked) expect(await w.a.setLocked(b.id, true)).toBe(true);
  const me = caller('127.0.0.2');
  if (c.proven) await w.a.release(participantIdOf(await admitFrom(w.a, me)));
  const provenOthers = Array.from({ length: c.provenOthersFailures ?? 0 }, (_, i) => caller(`127.0.3.${i}`));
  for (const other of provenOthers) await w.b.release(participantIdOf(await admitFrom(w.b, other)));
  for (let i = 0; i < (c.ownFailures ?? 0); i++) await admitFrom(w.a, me, '0000');
  // One failure per address, each after its hold: no address reaches a limit, only the conference's counter fills up.
  for (let i = 0; i < (c.othersFailures ?? 0); i++)
    await w.b.admit({ number: NUMBER, code: '0000', source: caller(`127.0.2.${i}`), via: 'ivr', held: true });
  w.clock.now = now;
  for (const other of provenOthers)
    await w.b.admit({ number: NUMBER, code: '0000', source: other, via: 'ivr', held: true });
  const code = { right: CODE, wrong: '8689', malformed: '86a8' }[c.code];
  return w.a.admit({ number: NUMBER, code, source: me, via: 'ivr', held: c.held ?? false });
}

/** Runs the IVR machine for one call, answering its lookups and admissions with `admission`; prompts end at once. */
async function dial(
  target: DialTarget,
  keys: string,
  admission: ConferenceAdmission,
  source: AdmissionCaller,
): Promise<IvrAction | undefined> {
  const machine = new IvrMachine(target, ivrSettings(configSchema.parse({})));
  let final: IvrAction | undefined;
  const feed = async (first: IvrEvent): Promise<void> => {
    const queue = [first];
    for (let event = queue.shift(); event; event = queue.shift()) {
      for (const action of machine.handle(event)) {
        if (action.type === 'play') queue.push({ type: 'prompt-finished', playId: action.playId });
        if (action.type === 'lookup')
          queue.push({ type: 'number-verdict', verdict: await admission.lookup(action.number, source) });
        if (action.type === 'admit') {
          const verdict = await admission.admit({ number: action.number, code: action.code, via: action.via, source });
          if (verdict.kind === 'hold') throw new Error('no conference is under attack here');
          queue.push({ type: 'admission-verdict', verdict });
        }
        if (action.type === 'connect' || action.type === 'hang-up') final = action;
      }
    }
  };
  await feed({ type: 'start' });
  for (const digit of keys) await feed({ type: 'digit', digit });
  return final;
}

const kinds: WorldKind[] = ['in-process', 'redis'];

describe.each(kinds)('%s admission (contract)', (kind) => {
  const world = (admission?: Parameters<typeof makeWorld>[2]) => makeWorld(kind, redis, admission);

  describe('the shared case table', () => {
    it.each(admissionCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const w = await world();
      const verdict = await runCase(w, c);
      const rule = decideAdmission(caseFacts(c, caseWindow(T0, T0 + 60 * MIN, w.settings), w.settings));
      expect(verdict.kind).toBe(c.expected);
      expect(verdict.kind).toBe(rule.kind === 'admit' ? 'admitted' : rule.kind);
    });
  });

  it('answers each verdict with what the IVR needs: participant, language, local start', async () => {
    const w = await world();
    const b = await book(w);
    w.clock.now = T0 - 10 * MIN - 1; // 09:49:59.999 in Paris, the conference starts at 10:00 today
    expect(await admitFrom(w.a, caller('127.0.0.2'))).toEqual({
      kind: 'not-open',
      start: { hour: 10, minute: 0, today: true },
      language: 'fr',
    });
    w.clock.now = T0 - 36 * 60 * MIN; // the day before
    expect(await admitFrom(w.a, caller('127.0.0.2'))).toEqual({
      kind: 'not-open',
      start: { hour: 10, minute: 0, today: false },
      language: 'fr',
    });
    w.clock.now = T0;
    const admitted = await admitFrom(w.a, caller('127.0.0.2'));
    expect(admitted).toEqual({
      kind: 'admitted',
      participant: { participantId: expect.any(String), bookingId: b.id },
      language: 'fr',
    });
    expect(await admitFrom(w.a, caller('127.0.0.2'), '1111')).toEqual({ kind: 'wrong-code', language: 'fr' });
    expect(await admitFrom(w.a, caller('127.0.0.2'), CODE, '1000')).toEqual({ kind: 'unknown' });
    w.clock.now = T0 + 71 * MIN;
    expect(await admitFrom(w.a, caller('127.0.0.2'))).toEqual({ kind: 'ended', language: 'fr' });
  });

  it('lookup: known in the booking language, unknown counted towards the source limit', async () => {
    const w = await world();
    await book(w, { language: 'en' });
    const me = caller('127.0.0.3');
    expect(await w.a.lookup(NUMBER, me)).toEqual({ kind: 'known', language: 'en' });
    for (let i = 0; i < 5; i++) expect(await w.a.lookup(`10${i}0`, me)).toEqual({ kind: 'unknown' });
    expect(await w.a.lookup(NUMBER, me)).toEqual({ kind: 'too-many-attempts' });
    expect(await w.a.lookup(NUMBER, caller('127.0.0.4'))).toEqual({ kind: 'known', language: 'en' });
    expect(w.alerts).toEqual([
      expect.objectContaining({ kind: 'too-many-attempts', scope: 'source', subject: '127.0.0.3', count: 5, limit: 5 }),
    ]);
  });

  it('tells the nearer booking on a number: one that just ended, or the next one', async () => {
    const w = await world();
    await book(w, { startsAtMs: T0, minutes: 60 });
    await book(w, { startsAtMs: T0 + 6 * 60 * MIN, minutes: 60, start: '2026-12-01T16:00' });
    w.clock.now = T0 + 80 * MIN + 1; // 1 ms after the first one's grace
    expect((await admitFrom(w.a, caller('127.0.0.2'))).kind).toBe('ended');
    w.clock.now = T0 + 5 * 60 * MIN;
    expect(await admitFrom(w.a, caller('127.0.0.2'))).toMatchObject({
      kind: 'not-open',
      start: { hour: 16, minute: 0, today: true },
    });
  });

  it('a source sweeping codes is locked out after 5 failures, while another source gets in', async () => {
    const w = await world();
    await book(w);
    const attacker = caller('127.0.0.66');
    const tried = [];
    for (let code = 1000; code < 1010; code++) tried.push((await admitFrom(w.a, attacker, String(code))).kind);
    expect(tried).toEqual([...Array(5).fill('wrong-code'), ...Array(5).fill('too-many-attempts')]);
    expect((await admitFrom(w.a, attacker)).kind).toBe('too-many-attempts'); // the right code is not even checked
    expect((await admitFrom(w.b, caller('127.0.0.67'))).kind).toBe('admitted');
    expect(w.alerts.filter((a) => a.scope === 'source')).toHaveLength(1); // one alert per subject and window
    w.clock.now += 15 * MIN; // the window slides past the failures
    expect((await admitFrom(w.a, attacker)).kind).toBe('admitted');
  });

  it('behind a trusted gateway, callers are counted per calling number', async () => {
    const w = await world({ trustedGateways: ['127.0.0.9'] });
    await book(w);
    for (let i = 0; i < 5; i++) await admitFrom(w.a, caller('127.0.0.9', '+33100000001'), '0000');
    expect((await admitFrom(w.a, caller('127.0.0.9', '+33100000001'))).kind).toBe('too-many-attempts');
    expect((await admitFrom(w.a, caller('127.0.0.9', '+33100000002'))).kind).toBe('admitted');
    expect(w.alerts).toEqual([expect.objectContaining({ scope: 'caller', subject: '127.0.0.9/+33100000001' })]);
    // An untrusted address is still counted as a whole, whatever number it claims.
    for (let i = 0; i < 5; i++) await admitFrom(w.a, caller('127.0.0.10', `+3310000000${i}`), '0000');
    expect((await admitFrom(w.a, caller('127.0.0.10', '+33199999999'))).kind).toBe('too-many-attempts');
  });

  it('30 wrong codes put a conference under attack: one alert, codes checked after a hold, never closed to a first try', async () => {
    const w = await world();
    await book(w);
    for (let i = 0; i < 30; i++) await admitFrom(w.a, caller(`127.0.3.${Math.floor(i / 3)}`), '0000');
    expect(w.alerts.filter((a) => a.scope === 'conference')).toEqual([
      expect.objectContaining({ kind: 'under-attack', subject: NUMBER, number: NUMBER, count: 30, limit: 30 }),
    ]);
    // A new caller's code waits 1 s (one step past the threshold), then is checked: the right one gets in.
    const newcomer = caller('127.0.0.77');
    expect(await admitFrom(w.b, newcomer)).toEqual({ kind: 'hold', ms: 1000 });
    expect((await w.b.admit({ number: NUMBER, code: CODE, source: newcomer, via: 'ivr', held: true })).kind).toBe(
      'admitted',
    );
    // The guessers' addresses (3 failures each, never admitted) get no further try on it; the lookup says so too.
    expect((await admitFrom(w.a, caller('127.0.3.0'))).kind).toBe('too-many-attempts');
    expect(await w.a.lookup(NUMBER, caller('127.0.3.1'))).toEqual({ kind: 'too-many-attempts' });
    // Each wrong code past the threshold lengthens the hold by a step, up to the cap.
    for (let i = 0; i < 25; i++)
      await w.a.admit({ number: NUMBER, code: '0000', source: caller(`127.0.4.${i}`), via: 'ivr', held: true });
    expect(await admitFrom(w.b, caller('127.0.0.78'))).toEqual({ kind: 'hold', ms: 20_000 });
    // The newcomer was admitted: proven, it keeps its 5 tries here, after the hold.
    const proven = { number: NUMBER, code: '0000', source: newcomer, via: 'ivr', held: true } as const;
    for (let i = 0; i < 4; i++) expect((await w.b.admit(proven)).kind).toBe('wrong-code');
    expect((await w.b.admit({ ...proven, code: CODE })).kind).toBe('admitted');
    expect(w.alerts.filter((a) => a.scope === 'conference')).toHaveLength(1);
    w.clock.now += 60 * MIN; // the window slides past the wrong codes: no hold any more
    expect((await admitFrom(w.b, caller('127.0.0.79'))).kind).toBe('admitted');
  });

  it('past its attack budget a conference checks no new source: refused with when to retry, one alert, regulars still get in', async () => {
    const w = await world();
    await book(w);
    const regular = caller('127.0.0.80');
    await w.a.release(participantIdOf(await admitFrom(w.a, regular)));
    // 30 wrong codes put it under attack; 30 more from new addresses, each after its hold, spend the budget.
    const guess = (i: number) =>
      w.a.admit({ number: NUMBER, code: '0000', source: caller(`127.0.5.${i}`), via: 'ivr', held: true });
    for (let i = 0; i < 60; i++) expect((await guess(i)).kind).toBe('wrong-code');
    expect(w.alerts.filter((a) => a.kind === 'attack-budget-spent')).toEqual([
      expect.objectContaining({ scope: 'conference', subject: NUMBER, number: NUMBER, count: 30, limit: 30 }),
    ]);
    // Ten minutes on, the oldest check leaves the budget's hour in 50: a newcomer is told so, at the number already.
    w.clock.now += 10 * MIN;
    const newcomer = caller('127.0.0.81');
    const refused = { kind: 'too-many-attempts', retryAfterSeconds: 50 * 60 };
    expect(await admitFrom(w.b, newcomer)).toEqual(refused);
    expect(await w.b.lookup(NUMBER, newcomer)).toEqual(refused);
    for (let i = 60; i < 70; i++) expect((await guess(i)).kind).toBe('too-many-attempts');
    expect(w.alerts.filter((a) => a.kind === 'attack-budget-spent')).toHaveLength(1);
    // A source admitted lately is still checked, after the hold: 60 wrong codes, 20 s (the cap).
    expect(await admitFrom(w.b, regular)).toEqual({ kind: 'hold', ms: 20_000 });
    expect((await w.b.admit({ number: NUMBER, code: CODE, source: regular, via: 'ivr', held: true })).kind).toBe(
      'admitted',
    );
    w.clock.now += 50 * MIN; // the hour rolls past the checks (and the wrong codes): the newcomer gets in
    expect((await admitFrom(w.b, newcomer)).kind).toBe('admitted');
  });

  it('a call that left the IVR without a key counts as a failure of its source', async () => {
    const w = await world();
    await book(w);
    const silent = caller('127.0.0.88');
    for (let i = 0; i < 5; i++) await w.a.noEntry(silent);
    expect((await admitFrom(w.a, silent)).kind).toBe('too-many-attempts');
    expect(w.alerts).toEqual([
      expect.objectContaining({ kind: 'too-many-attempts', scope: 'source', subject: '127.0.0.88', count: 5 }),
    ]);
    expect((await admitFrom(w.a, caller('127.0.0.89'))).kind).toBe('admitted');
  });

  it('60 simultaneous callers on a conference capped at 5, through two instances (two connections on Redis): exactly 5 admitted, 55 full; then the next ones get in', async () => {
    const w = await world();
    const b = await book(w, { estimatedConnections: 5 });
    const storm = Array.from({ length: 60 }, (_, i) => admitFrom(i % 2 === 0 ? w.a : w.b, caller(`127.0.6.${i}`)));
    const verdicts = await Promise.all(storm);
    const admitted = verdicts.filter((v) => v.kind === 'admitted');
    expect(admitted).toHaveLength(5);
    expect(verdicts.filter((v) => v.kind === 'full')).toHaveLength(55);
    expect((await w.a.liveParticipants(b.id)).map((p) => p.participantId).sort()).toEqual(
      admitted.map(participantIdOf).sort(),
    );

    // Each instance releases the ones it admitted (it holds their leases); the next storm gets 5 more in.
    const released = await Promise.all(
      admitted.map((v) => Promise.all([w.a.release(participantIdOf(v)), w.b.release(participantIdOf(v))])),
    );
    expect(released.map(([x, y]) => Number(x) + Number(y))).toEqual([1, 1, 1, 1, 1]);
    const again = await Promise.all(
      Array.from({ length: 20 }, (_, i) => admitFrom(i % 2 === 0 ? w.b : w.a, caller(`127.0.7.${i}`))),
    );
    expect(again.filter((v) => v.kind === 'admitted')).toHaveLength(5);
    expect(again.filter((v) => v.kind === 'full')).toHaveLength(15);
  });

  it('release frees the slot exactly once', async () => {
    const w = await world();
    await book(w, { estimatedConnections: 2 });
    const first = participantIdOf(await admitFrom(w.a, caller('127.0.0.2')));
    participantIdOf(await admitFrom(w.b, caller('127.0.0.3')));
    expect((await admitFrom(w.a, caller('127.0.0.4'))).kind).toBe('full');
    expect(await w.a.release(first)).toBe(true);
    expect(await w.b.release(first)).toBe(false);
    expect(await w.a.release(first)).toBe(false);
    participantIdOf(await admitFrom(w.a, caller('127.0.0.4')));
    expect((await admitFrom(w.a, caller('127.0.0.5'))).kind).toBe('full');
  });

  it("renewed leases hold; an instance that stops renewing loses its slots to the other instance's reaper", async () => {
    const w = await world({ leaseSeconds: 2, renewSeconds: 1 });
    const b = await book(w, { estimatedConnections: 3 });
    const held = [];
    for (let i = 0; i < 3; i++) held.push(participantIdOf(await admitFrom(w.a, caller(`127.0.4.${i}`))));
    expect(w.a.heldParticipants).toBe(3);
    w.clock.now += 1500;
    expect(await w.a.renewLeases()).toEqual([]);
    w.clock.now += 1500; // 3 s after admission, 1.5 s after renewal
    expect(await w.b.reapExpired()).toEqual([]);
    expect((await admitFrom(w.b, caller('127.0.4.9'))).kind).toBe('full');
    // "A" dies: nobody renews. Past the lease, B's reaper frees the three slots, once.
    w.clock.now += 2001;
    expect((await w.b.reapExpired()).sort()).toEqual([...held].sort());
    expect(await w.a.reapExpired()).toEqual([]);
    expect(await w.b.liveParticipants(b.id)).toEqual([]);
    for (let i = 0; i < 3; i++) participantIdOf(await admitFrom(w.b, caller(`127.0.5.${i}`)));
    // If "A" was only stalled, its renewal learns the slots are gone and its calls must end.
    expect((await w.a.renewLeases()).sort()).toEqual([...held].sort());
    expect(w.lost.sort()).toEqual([...held].sort());
    expect(w.a.heldParticipants).toBe(0);
    expect(await w.a.release(held[0]!)).toBe(false);
  });

  it("a participant released by another instance (an admin's kick no instance took) is revoked: its instance's renewal ends the call, it does not re-assert it", async () => {
    const w = await world();
    await book(w, { estimatedConnections: 1 });
    const kicked = participantIdOf(await admitFrom(w.a, caller('127.0.0.2')));
    expect(await w.b.release(kicked)).toBe(true);
    participantIdOf(await admitFrom(w.b, caller('127.0.0.3')));
    expect(await w.a.renewLeases()).toEqual([kicked]);
    expect(w.lost).toEqual([kicked]);
    expect((await admitFrom(w.a, caller('127.0.0.4'))).kind).toBe('full');
  });

  it("start() renews this instance's leases and reaps others' on timers; stop() ends both", async () => {
    const w = await world({ leaseSeconds: 2, renewSeconds: 0.1, reapSeconds: 0.1 });
    const b = await book(w, { estimatedConnections: 2 });
    const mine = participantIdOf(await admitFrom(w.a, caller('127.0.0.2')));
    const orphan = participantIdOf(await admitFrom(w.b, caller('127.0.0.3'))); // B never renews: it is not started
    w.a.start();
    w.a.start(); // idempotent
    try {
      w.clock.now += 1500;
      await new Promise((r) => setTimeout(r, 300));
      w.clock.now += 1500; // 3 s after admission: only A's renewed lease still holds
      await new Promise((r) => setTimeout(r, 300));
      expect((await w.b.liveParticipants(b.id)).map((p) => p.participantId)).toEqual([mine]);
      expect(await w.b.release(orphan)).toBe(false);
    } finally {
      w.a.stop();
    }
    w.clock.now += 2001;
    await new Promise((r) => setTimeout(r, 300));
    expect((await w.b.liveParticipants(b.id)).map((p) => p.participantId)).toEqual([mine]); // nothing runs after stop()
    expect(await w.b.reapExpired()).toEqual([mine]);
  });

  it('an expired lease does not hold a slot even before any reaper runs', async () => {
    const w = await world({ leaseSeconds: 2, renewSeconds: 1 });
    await book(w, { estimatedConnections: 1 });
    const gone = participantIdOf(await admitFrom(w.a, caller('127.0.0.2')));
    w.clock.now += 2000;
    expect((await admitFrom(w.b, caller('127.0.0.3'))).kind).toBe('full'); // lease deadline itself still holds
    w.clock.now += 1;
    participantIdOf(await admitFrom(w.b, caller('127.0.0.3')));
    expect(await w.a.release(gone)).toBe(false);
  });

  it('lock and unlock (admin); callers already in stay', async () => {
    const w = await world();
    const b = await book(w);
    const inside = participantIdOf(await admitFrom(w.a, caller('127.0.0.2')));
    expect(await w.b.setLocked(b.id, true)).toBe(true);
    expect((await admitFrom(w.a, caller('127.0.0.3'))).kind).toBe('locked');
    expect((await w.a.liveParticipants(b.id)).map((p) => p.participantId)).toEqual([inside]);
    expect(await w.b.setLocked(b.id, false)).toBe(true);
    expect((await admitFrom(w.a, caller('127.0.0.3'))).kind).toBe('admitted');
    expect(await w.a.setLocked('no-such-booking', true)).toBe(false);
  });

  it('every instance reads the lock admission refuses on (the live view has no copy of its own)', async () => {
    const w = await world();
    const b = await book(w);
    expect(await w.a.isLocked(b.id)).toBe(false);
    await w.b.setLocked(b.id, true);
    expect([await w.a.isLocked(b.id), await w.b.isLocked(b.id)]).toEqual([true, true]);
    await w.a.setLocked(b.id, false);
    expect([await w.a.isLocked(b.id), await w.b.isLocked(b.id)]).toEqual([false, false]);
    expect(await w.a.isLocked('no-such-booking')).toBe(false);
  });

  it("lists a conference's live participants with their instance, path and lease", async () => {
    const w = await world();
    const b = await book(w);
    const one = participantIdOf(await admitFrom(w.a, { address: '127.0.0.2', callId: 'abc@127.0.0.2' }));
    w.clock.now += 1000;
    const two = participantIdOf(
      await w.b.admit({ number: NUMBER, code: CODE, via: 'direct-dial', source: { address: '::1', callId: 'def' } }),
    );
    expect(await w.a.liveParticipants(b.id)).toEqual([
      {
        participantId: one,
        bookingId: b.id,
        number: NUMBER,
        source: '127.0.0.2',
        callId: 'abc@127.0.0.2',
        via: 'ivr',
        instanceId: 'A',
        joinedAt: T0,
        leaseUntil: T0 + 30_000,
      },
      {
        participantId: two,
        bookingId: b.id,
        number: NUMBER,
        source: '::1',
        callId: 'def',
        via: 'direct-dial',
        instanceId: 'B',
        joinedAt: T0 + 1000,
        leaseUntil: T0 + 31_000,
      },
    ]);
  });

  it('bad input gets a verdict, never a throw', async () => {
    const w = await world();
    await book(w);
    const me = caller('127.0.0.2');
    for (const number of ['', 'abcd', '53 87', '5387#', '1'.repeat(17), '٥٣٨٧'] as const) {
      expect(await admitFrom(w.a, me, CODE, number)).toEqual({ kind: 'unknown' });
      expect(await w.a.lookup(number, me)).toEqual({ kind: 'unknown' });
    }
    for (const code of ['', '86a8', '8'.repeat(100), ' 8688', '8688\n'])
      expect((await admitFrom(w.a, caller('127.0.0.3'), code)).kind).toBe('wrong-code');
    const bad: unknown[] = [
      { address: '', callId: 'x' },
      { address: 'a'.repeat(65), callId: 'x' },
      { address: '127.0.0.1', callId: '' },
      { address: '127.0.0.1', callId: 'has space' },
      { address: '127.0.0.1', callId: 'x'.repeat(257) },
      null,
      'not an object',
    ];
    for (const source of bad) {
      expect(await w.a.admit({ number: NUMBER, code: CODE, via: 'ivr', source: source as AdmissionCaller })).toEqual({
        kind: 'unavailable',
      });
      expect(await w.a.lookup(NUMBER, source as AdmissionCaller)).toEqual({ kind: 'unavailable' });
    }
    expect(await w.a.admit({ number: NUMBER, code: CODE, via: 'sideways' as 'ivr', source: me })).toEqual({
      kind: 'unavailable',
    });
    // A calling number is the caller's to choose: a strange one is ignored, not held against the call.
    const odd = { address: '127.0.0.4', callId: 'odd', callingNumber: 'y'.repeat(65) };
    expect((await admitFrom(w.a, odd)).kind).toBe('admitted');
    expect((await admitFrom(w.a, { ...odd, callingNumber: 42 as unknown as string })).kind).toBe('admitted');
    // None of it was counted against the source: it still gets in (only the 5 malformed codes from .3 were).
    expect((await admitFrom(w.a, me)).kind).toBe('admitted');
    expect((await admitFrom(w.a, caller('127.0.0.3'))).kind).toBe('too-many-attempts');
  });

  it.each<[string, DialTarget, string]>([
    ['IVR (conf@)', { kind: 'ivr' }, '5387#8688#'],
    ['number in the URI (5387@)', { kind: 'code-only', number: NUMBER }, '8688#'],
    ['number and code in the URI (5387*8688@)', { kind: 'direct', number: NUMBER, code: CODE }, ''],
  ])('entry path %s goes through the same admission and takes a slot', async (_name, target, keys) => {
    const w = await world();
    const b = await book(w, { estimatedConnections: 1 });
    const final = await dial(target, keys, w.a, caller('127.0.0.2'));
    expect(final).toEqual({
      type: 'connect',
      number: NUMBER,
      participant: { participantId: expect.any(String), bookingId: b.id },
    });
    expect((await w.a.liveParticipants(b.id)).map((p) => p.via)).toEqual([
      target.kind === 'direct' ? 'direct-dial' : 'ivr',
    ]);
    expect(await dial(target, keys, w.b, caller('127.0.0.3'))).toEqual({ type: 'hang-up', reason: 'full' });
  });
});
