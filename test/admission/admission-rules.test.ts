import {
  attemptSubject,
  constantTimeEqual,
  decideAdmission,
  decideLookup,
  holdMs,
  pickConference,
  spendsAttackBudget,
  type AttemptFacts,
} from '../../src/admission/admission-rules';
import { admissionSettings } from '../../src/admission/admission-settings';
import { configSchema } from '../../src/config/config-schema';
import { admissionCases, caseFacts, caseWindow } from './admission-cases';

const settings = admissionSettings(configSchema.parse({}));
const T0 = Date.parse('2026-12-01T09:00:00Z');
const window = caseWindow(T0, T0 + 3_600_000, settings);

/** Attempt facts under the default limits, with the counts a test is about. */
const attemptFacts = (over: Partial<AttemptFacts>): AttemptFacts => ({
  subject: 0,
  conference: 0,
  proven: false,
  budget: { spent: 0, roomAt: 0 },
  limits: { subject: 5, newSubject: 1, conference: 30, budget: 30 },
  hold: { stepMs: 1000, maxMs: 20_000 },
  ...over,
});

describe('decideAdmission', () => {
  it.each(admissionCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const decision = decideAdmission(caseFacts(c, window, settings));
    expect(decision.kind === 'admit' ? 'admitted' : decision.kind).toBe(c.expected);
  });

  it("names the limit that stopped the caller: its own, or a new source's on an attacked conference", () => {
    const facts = caseFacts(admissionCases[0]!, window, settings);
    const a = facts.attempts;
    expect(decideAdmission({ ...facts, attempts: { ...a, subject: 5, conference: 30, proven: true } })).toEqual({
      kind: 'too-many-attempts',
      scope: 'subject',
    });
    expect(decideAdmission({ ...facts, attempts: { ...a, subject: 1, conference: 30 } })).toEqual({
      kind: 'too-many-attempts',
      scope: 'new-subject',
    });
  });

  it('never closes an attacked conference to a caller without failures', () => {
    const facts = caseFacts(
      admissionCases.find((c) => c.name === 'wrong code')!,
      window,
      settings,
    );
    const attacked = { ...facts.attempts, conference: 10_000 };
    expect(decideAdmission({ ...facts, attempts: attacked })).toEqual({ kind: 'hold', ms: 20_000 });
    expect(decideAdmission({ ...facts, attempts: attacked, held: true })).toEqual({ kind: 'wrong-code' });
    expect(decideAdmission({ ...facts, attempts: attacked, held: true, code: '8688' })).toEqual({ kind: 'admit' });
  });

  it('once the attack budget is spent, checks no code from a new source and says when it has room again', () => {
    const facts = caseFacts(
      admissionCases.find((c) => c.name === 'wrong code')!,
      window,
      settings,
    );
    const roomAt = facts.now + 1_234_567;
    const spent = { ...facts.attempts, conference: 60, budget: { spent: 30, roomAt } };
    const refused = { kind: 'too-many-attempts', scope: 'attack-budget', retryAt: roomAt };
    expect(decideAdmission({ ...facts, attempts: spent, held: true, code: '8688' })).toEqual(refused);
    expect(decideLookup({ conference: facts.conference, attempts: spent })).toEqual(refused);
    // A proven source is checked; a new one is too while the budget has room, or once the attack is over.
    expect(decideAdmission({ ...facts, attempts: { ...spent, proven: true }, held: true, code: '8688' })).toEqual({
      kind: 'admit',
    });
    const room = { ...spent, budget: { spent: 29, roomAt } };
    expect(decideAdmission({ ...facts, attempts: room, held: true, code: '8688' })).toEqual({ kind: 'admit' });
    expect(decideAdmission({ ...facts, attempts: { ...spent, conference: 29 }, code: '8688' })).toEqual({
      kind: 'admit',
    });
  });
});

describe('spendsAttackBudget', () => {
  it('counts a wrong code against the budget only on an attacked conference, and only from a new source', () => {
    expect(spendsAttackBudget(attemptFacts({ conference: 30 }))).toBe(true);
    expect(spendsAttackBudget(attemptFacts({ conference: 29 }))).toBe(false);
    expect(spendsAttackBudget(attemptFacts({ conference: 30, proven: true }))).toBe(false);
  });
});

describe('holdMs', () => {
  const attempts = (conference: number): AttemptFacts => attemptFacts({ conference });
  it('is zero below the attack threshold, then grows a step per wrong code, capped', () => {
    expect([29, 30, 31, 39, 49, 50, 5000].map((n) => holdMs(attempts(n)))).toEqual([
      0, 1000, 2000, 10_000, 20_000, 20_000, 20_000,
    ]);
  });
});

describe('decideLookup', () => {
  const conference = { bookingId: 'b', windowStart: 0, windowEnd: 1, accessCode: '1234', estimatedConnections: 2 };
  const attempts = (subject: number, conferenceFailures: number, proven = false): AttemptFacts =>
    attemptFacts({ subject, conference: conferenceFailures, proven });
  it('knows a conference, whatever its window', () => {
    expect(decideLookup({ conference, attempts: attempts(4, 29) })).toEqual({ kind: 'known' });
    expect(decideLookup({ conference: undefined, attempts: attempts(0, 0) })).toEqual({ kind: 'unknown' });
  });
  it('checks the limits first; an attacked conference stops only new sources that already failed', () => {
    expect(decideLookup({ conference, attempts: attempts(5, 0) })).toEqual({
      kind: 'too-many-attempts',
      scope: 'subject',
    });
    expect(decideLookup({ conference, attempts: attempts(0, 30) })).toEqual({ kind: 'known' });
    expect(decideLookup({ conference, attempts: attempts(1, 30) })).toEqual({
      kind: 'too-many-attempts',
      scope: 'new-subject',
    });
    expect(decideLookup({ conference, attempts: attempts(4, 30, true) })).toEqual({ kind: 'known' });
  });
});

describe('pickConference', () => {
  const at = (windowStart: number, windowEnd: number) => ({ windowStart, windowEnd });
  const notice = 1000;
  it('takes the current booking', () => {
    const current = at(90, 110);
    expect(pickConference(100, current, at(0, 50), notice)).toBe(current);
    expect(pickConference(100, at(100, 200), undefined, notice)).toEqual(at(100, 200));
  });
  it('else the nearer of the next one and a recently ended one; a tie goes to the next', () => {
    expect(pickConference(100, at(130, 200), at(0, 80), notice)).toEqual(at(0, 80));
    expect(pickConference(100, at(110, 200), at(0, 80), notice)).toEqual(at(110, 200));
    expect(pickConference(100, at(120, 200), at(0, 80), notice)).toEqual(at(120, 200));
  });
  it('forgets a booking that ended more than the notice ago', () => {
    expect(pickConference(2000, undefined, at(0, 999), notice)).toBeUndefined();
    expect(pickConference(2000, undefined, at(0, 1000), notice)).toEqual(at(0, 1000));
    expect(pickConference(2000, at(900_000, 900_001), at(0, 999), notice)).toEqual(at(900_000, 900_001));
    expect(pickConference(2000, undefined, undefined, notice)).toBeUndefined();
  });
});

describe('constantTimeEqual', () => {
  it('is true only for equal, non-empty strings', () => {
    expect(constantTimeEqual('8688', '8688')).toBe(true);
    for (let i = 0; i < 4; i++)
      expect(constantTimeEqual('8688'.slice(0, i) + '0' + '8688'.slice(i + 1), '8688')).toBe(false);
    expect(constantTimeEqual('868', '8688')).toBe(false);
    expect(constantTimeEqual('86880', '8688')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(false);
  });
});

describe('attemptSubject', () => {
  const trusted = new Set(['127.0.0.9', '::ffff:127.0.0.8']);
  it('counts an ordinary caller per address', () => {
    expect(attemptSubject('127.0.0.5', '+33612345678', trusted)).toEqual({ scope: 'source', id: '127.0.0.5' });
  });
  it('counts a trusted gateway caller per calling number (addresses compared in lower case)', () => {
    expect(attemptSubject('127.0.0.9', '+33612345678', trusted)).toEqual({
      scope: 'caller',
      id: '127.0.0.9/+33612345678',
    });
    expect(attemptSubject('::FFFF:127.0.0.8', '0612345678', trusted)).toEqual({
      scope: 'caller',
      id: '::ffff:127.0.0.8/0612345678',
    });
  });
  it("counts a gateway caller without a usable number as the gateway's unknown caller", () => {
    expect(attemptSubject('127.0.0.9', undefined, trusted).id).toBe('127.0.0.9/unknown');
    expect(attemptSubject('127.0.0.9', 'a b:c', trusted).id).toBe('127.0.0.9/unknown');
    expect(attemptSubject('127.0.0.9', '1'.repeat(33), trusted).id).toBe('127.0.0.9/unknown');
  });
});
