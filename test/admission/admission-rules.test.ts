import {
  attemptSubject,
  constantTimeEqual,
  decideAdmission,
  decideLookup,
  pickConference,
} from '../../src/admission/admission-rules';
import { admissionSettings } from '../../src/admission/admission-settings';
import { configSchema } from '../../src/config/config-schema';
import { admissionCases, caseFacts, caseWindow } from './admission-cases';

const settings = admissionSettings(configSchema.parse({}));
const T0 = Date.parse('2026-12-01T09:00:00Z');
const window = caseWindow(T0, T0 + 3_600_000, settings);

describe('decideAdmission', () => {
  it.each(admissionCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const decision = decideAdmission(caseFacts(c, window, settings));
    expect(decision.kind === 'admit' ? 'admitted' : decision.kind).toBe(c.expected);
  });

  it('names the counter that stopped the caller: the subject before the conference', () => {
    const facts = caseFacts(admissionCases[0]!, window, settings);
    const limits = facts.attempts.limits;
    expect(decideAdmission({ ...facts, attempts: { subject: 5, conference: 30, limits } })).toEqual({
      kind: 'too-many-attempts',
      scope: 'subject',
    });
    expect(decideAdmission({ ...facts, attempts: { subject: 4, conference: 30, limits } })).toEqual({
      kind: 'too-many-attempts',
      scope: 'conference',
    });
  });
});

describe('decideLookup', () => {
  const conference = { bookingId: 'b', windowStart: 0, windowEnd: 1, accessCode: '1234', estimatedConnections: 2 };
  const limits = { subject: 5, conference: 30 };
  it('knows a conference, whatever its window', () => {
    expect(decideLookup({ conference, attempts: { subject: 4, conference: 29, limits } })).toEqual({ kind: 'known' });
    expect(decideLookup({ conference: undefined, attempts: { subject: 0, conference: 0, limits } })).toEqual({
      kind: 'unknown',
    });
  });
  it('checks the limits first', () => {
    expect(decideLookup({ conference, attempts: { subject: 5, conference: 0, limits } })).toEqual({
      kind: 'too-many-attempts',
      scope: 'subject',
    });
    expect(decideLookup({ conference: undefined, attempts: { subject: 0, conference: 30, limits } })).toEqual({
      kind: 'too-many-attempts',
      scope: 'conference',
    });
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
