import type { AdmissionAnswer } from '../../src/admission/admission-port';
import type { AdmissionFacts } from '../../src/admission/admission-rules';
import type { AdmissionSettings } from '../../src/admission/admission-settings';

/**
 * One table of admission situations, read three ways: as facts for the pure rules
 * (`admission-rules.test.ts`), and as real state built in the in-process and the Redis admission
 * (`admission-contract.test.ts`). All three must give the expected verdict, so the Lua cannot
 * drift from the TypeScript rules.
 */
export interface AdmissionCase {
  name: string;
  /** The booking on the number: none at all, cancelled, or active. */
  booking: 'none' | 'cancelled' | 'active';
  /** When the caller calls, relative to the booking's window (ms): `start+0` is the window's first instant. */
  at: { edge: 'start' | 'end'; offsetMs: number };
  code: 'right' | 'wrong' | 'malformed';
  cap?: number;
  locked?: boolean;
  /** Participants already in the conference (admitted from other addresses). */
  live?: number;
  /** Wrong codes keyed before, from the caller's own address (they count for the conference too). */
  ownFailures?: number;
  /**
   * Wrong codes keyed before for this conference from other addresses never admitted (one each, after
   * their hold): past the attack threshold they spend its budget; once it is spent they are refused unchecked.
   */
  othersFailures?: number;
  /** Minutes before the call that the caller's own failures, proven admission and the others' failures happened (default 0). */
  setupMinutesAgo?: number;
  /** Wrong codes keyed just before the call by other addresses admitted before (proven: they spend no budget). */
  provenOthersFailures?: number;
  /** The caller's address was admitted before (to this conference, and left): it is not new. */
  proven?: boolean;
  /** The caller asks again after waiting the hold an attacked conference asked for. */
  held?: boolean;
  expected: AdmissionAnswer['kind'];
}

const MIN = 60_000;
const inside = { edge: 'start', offsetMs: 5 * MIN } as const;
/** With the defaults: 30 wrong codes put the conference under attack, 30 more from new addresses spend its budget. */
const budgetSpent = { booking: 'active', at: inside, code: 'right', othersFailures: 60 } as const;
/**
 * The budget was spent `setupMinutesAgo`, and the attack goes on with 30 wrong codes from proven
 * addresses just now (they spend no budget); late enough in the window that the setup was inside it too.
 */
const attackGoesOn = {
  ...budgetSpent,
  at: { edge: 'start', offsetMs: 75 * MIN },
  provenOthersFailures: 30,
} as const;

export const admissionCases: AdmissionCase[] = [
  { name: 'no booking on the number', booking: 'none', at: inside, code: 'right', expected: 'unknown' },
  { name: 'cancelled booking', booking: 'cancelled', at: inside, code: 'right', expected: 'unknown' },
  {
    name: '1 ms before start − early-join margin',
    booking: 'active',
    at: { edge: 'start', offsetMs: -1 },
    code: 'right',
    expected: 'not-open',
  },
  {
    name: 'an hour before the window, wrong code (window before code)',
    booking: 'active',
    at: { edge: 'start', offsetMs: -60 * MIN },
    code: 'wrong',
    expected: 'not-open',
  },
  {
    name: 'exactly start − early-join margin',
    booking: 'active',
    at: { edge: 'start', offsetMs: 0 },
    code: 'right',
    expected: 'admitted',
  },
  {
    name: 'exactly end + grace',
    booking: 'active',
    at: { edge: 'end', offsetMs: 0 },
    code: 'right',
    expected: 'admitted',
  },
  {
    name: '1 ms after end + grace',
    booking: 'active',
    at: { edge: 'end', offsetMs: 1 },
    code: 'right',
    expected: 'ended',
  },
  {
    name: 'ended two days ago: forgotten',
    booking: 'active',
    at: { edge: 'end', offsetMs: 48 * 60 * MIN },
    code: 'right',
    expected: 'unknown',
  },
  { name: 'wrong code', booking: 'active', at: inside, code: 'wrong', expected: 'wrong-code' },
  { name: 'code with a non-digit', booking: 'active', at: inside, code: 'malformed', expected: 'wrong-code' },
  { name: 'locked, right code', booking: 'active', at: inside, code: 'right', locked: true, expected: 'locked' },
  {
    name: 'locked, wrong code (code before lock)',
    booking: 'active',
    at: inside,
    code: 'wrong',
    locked: true,
    expected: 'wrong-code',
  },
  { name: 'at the cap', booking: 'active', at: inside, code: 'right', cap: 3, live: 3, expected: 'full' },
  { name: 'one below the cap', booking: 'active', at: inside, code: 'right', cap: 3, live: 2, expected: 'admitted' },
  {
    name: 'at the cap, wrong code (code before cap)',
    booking: 'active',
    at: inside,
    code: 'wrong',
    cap: 2,
    live: 2,
    expected: 'wrong-code',
  },
  {
    name: 'at the cap and locked',
    booking: 'active',
    at: inside,
    code: 'right',
    cap: 2,
    live: 2,
    locked: true,
    expected: 'locked',
  },
  {
    name: '4 own failures: the 5th try still counts',
    booking: 'active',
    at: inside,
    code: 'right',
    ownFailures: 4,
    expected: 'admitted',
  },
  {
    name: '5 own failures: locked out, right code unchecked',
    booking: 'active',
    at: inside,
    code: 'right',
    ownFailures: 5,
    expected: 'too-many-attempts',
  },
  {
    name: '5 own failures, number unknown',
    booking: 'none',
    at: inside,
    code: 'right',
    ownFailures: 5,
    expected: 'too-many-attempts',
  },
  {
    name: '29 failures on the conference',
    booking: 'active',
    at: inside,
    code: 'right',
    othersFailures: 29,
    expected: 'admitted',
  },
  {
    name: '30 failures on the conference: under attack, the code waits for a hold',
    booking: 'active',
    at: inside,
    code: 'right',
    othersFailures: 30,
    expected: 'hold',
  },
  {
    name: 'under attack, held: the right code at the first try gets in',
    booking: 'active',
    at: inside,
    code: 'right',
    othersFailures: 40,
    held: true,
    expected: 'admitted',
  },
  {
    name: 'under attack, held: a wrong code is checked and counted',
    booking: 'active',
    at: inside,
    code: 'wrong',
    othersFailures: 30,
    held: true,
    expected: 'wrong-code',
  },
  {
    name: 'under attack, window before hold: not open yet',
    booking: 'active',
    at: { edge: 'start', offsetMs: -1 },
    code: 'wrong',
    othersFailures: 30,
    expected: 'not-open',
  },
  {
    name: '3 own + 27 others = 30: a new source with a failure is stopped on an attacked conference',
    booking: 'active',
    at: inside,
    code: 'right',
    ownFailures: 3,
    othersFailures: 27,
    expected: 'too-many-attempts',
  },
  {
    name: '3 own + 27 others = 30: a proven source keeps its 5 tries (after the hold)',
    booking: 'active',
    at: inside,
    code: 'right',
    ownFailures: 3,
    othersFailures: 27,
    proven: true,
    held: true,
    expected: 'admitted',
  },
  {
    name: '1 own + 28 others = 29: not under attack, a new source keeps its 5 tries',
    booking: 'active',
    at: inside,
    code: 'right',
    ownFailures: 1,
    othersFailures: 28,
    expected: 'admitted',
  },
  {
    name: '30 + 29 wrong codes: one short of the attack budget, a new source is still checked',
    ...budgetSpent,
    othersFailures: 59,
    held: true,
    expected: 'admitted',
  },
  {
    name: 'attack budget spent: a new source is refused unchecked, even with the right code',
    ...budgetSpent,
    held: true,
    expected: 'too-many-attempts',
  },
  {
    name: 'attack budget spent: further guesses from new sources are refused, not checked',
    ...budgetSpent,
    othersFailures: 90,
    held: true,
    expected: 'too-many-attempts',
  },
  { name: 'attack budget spent: a proven source still waits the hold', ...budgetSpent, proven: true, expected: 'hold' },
  {
    name: 'attack budget spent: a proven source with the right code gets in after the hold',
    ...budgetSpent,
    proven: true,
    held: true,
    expected: 'admitted',
  },
  {
    name: 'attack budget spent 59 minutes ago, the attack goes on: still spent',
    ...attackGoesOn,
    setupMinutesAgo: 59,
    held: true,
    expected: 'too-many-attempts',
  },
  {
    name: 'attack budget spent 61 minutes ago, the attack goes on: the window rolled, a new source waits the hold',
    ...attackGoesOn,
    setupMinutesAgo: 61,
    expected: 'hold',
  },
  {
    name: 'attack budget spent 61 minutes ago, the attack goes on: a new source with the right code gets in',
    ...attackGoesOn,
    setupMinutesAgo: 61,
    held: true,
    expected: 'admitted',
  },
];

/** Window of the case's booking: start − margin .. end + grace, as the booking service stores it. */
export function caseWindow(
  startsAt: number,
  endsAt: number,
  s: Pick<AdmissionSettings, 'earlyJoinMs' | 'graceMs'>,
): { start: number; end: number } {
  return { start: startsAt - s.earlyJoinMs, end: endsAt + s.graceMs };
}

export function caseNow(c: AdmissionCase, window: { start: number; end: number }): number {
  return (c.at.edge === 'start' ? window.start : window.end) + c.at.offsetMs;
}

/**
 * The failures the case's setup leaves, as the rules count them: the caller's own (at most a
 * source's limit, so before any attack), then the others', one per new address: those past the
 * attack threshold spend its budget, and once it is spent the rest are refused unchecked.
 */
function setupFailures(c: AdmissionCase, s: AdmissionSettings): { own: number; checked: number; spent: number } {
  const own = c.ownFailures ?? 0;
  const threshold = s.limits.conference.max;
  const checked = Math.min(own + (c.othersFailures ?? 0), threshold + s.limits.budget.max);
  return { own, checked, spent: Math.max(0, checked - threshold) };
}

/** The case as facts for `decideAdmission`. */
export function caseFacts(
  c: AdmissionCase,
  window: { start: number; end: number },
  s: AdmissionSettings,
): AdmissionFacts {
  const now = caseNow(c, window);
  const setupAt = now - (c.setupMinutesAgo ?? 0) * MIN;
  const within = (windowMs: number): boolean => now - setupAt < windowMs;
  const { limits } = s;
  const failures = setupFailures(c, s);
  const own = within(limits.subject.windowMs) ? failures.own : 0;
  const remembered = c.booking === 'active' && (now <= window.end || now - window.end <= s.endedNoticeMs);
  return {
    now,
    conference: remembered
      ? {
          bookingId: 'b',
          windowStart: window.start,
          windowEnd: window.end,
          accessCode: '8688',
          estimatedConnections: c.cap ?? 5,
        }
      : undefined,
    code: { right: '8688', wrong: '8689', malformed: '' }[c.code],
    attempts: {
      subject: own,
      conference: (within(limits.conference.windowMs) ? failures.checked : 0) + (c.provenOthersFailures ?? 0),
      proven: c.proven ?? false,
      budget: {
        spent: within(limits.budget.windowMs) ? failures.spent : 0,
        roomAt: setupAt + limits.budget.windowMs,
      },
      limits: {
        subject: limits.subject.max,
        newSubject: limits.newSubject,
        conference: limits.conference.max,
        budget: limits.budget.max,
      },
      hold: s.hold,
    },
    held: c.held ?? false,
    locked: c.locked ?? false,
    live: c.live ?? 0,
  };
}
