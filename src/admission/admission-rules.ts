import { timingSafeEqual } from 'node:crypto';

/**
 * The admission decision as pure functions of the facts read at one instant. The in-process
 * admission calls them directly; `redis-admission-scripts.ts` mirrors them in Lua so the decision
 * and the slot reservation happen in one atomic step on the Redis server. One table of cases
 * (`test/admission/admission-cases.ts`) drives both, so they cannot drift.
 */

/** What admission needs of a booking: its window (epoch ms, inclusive), code and cap. */
export interface ConferenceFacts {
  bookingId: string;
  /** Start − early-join margin, as stored with the booking (the window its number was allocated for). */
  windowStart: number;
  /** End + grace. */
  windowEnd: number;
  /** The access code, as digits. Never logged. */
  accessCode: string;
  estimatedConnections: number;
}

/** A sliding-window failure limit: at most `max` failures in the last `windowMs`. */
export interface FailureLimit {
  max: number;
  windowMs: number;
}

/**
 * How an attacked conference is throttled instead of closed: each code it is asked to check waits
 * `stepMs` per wrong code past the attack threshold, at most `maxMs`.
 */
export interface HoldRate {
  stepMs: number;
  maxMs: number;
}

/** Failures recorded in the sliding windows, and their limits. */
export interface AttemptFacts {
  /** Failures of the caller's subject: its source address, or its calling number behind a trusted gateway. */
  subject: number;
  /** Wrong codes entered for this conference number, from anywhere. */
  conference: number;
  /** The subject was admitted to some conference lately: it keeps its full limit while a conference is attacked. */
  proven: boolean;
  /**
   * The conference's attack budget: wrong codes from subjects not proven that it checked while under
   * attack, in the budget's window (an hour); and when the oldest of them leaves that window (ms), so
   * the budget has room again. However many addresses guess, no more codes than the budget are checked.
   */
  budget: { spent: number; roomAt: number };
  limits: {
    /** Failures a subject may make in its window. */
    subject: number;
    /** Failures a subject never admitted lately may make while the conference is under attack. */
    newSubject: number;
    /** Wrong codes on the conference in its window from which it is under attack (throttled, never closed). */
    conference: number;
    /** Codes from subjects not proven an attacked conference checks in the budget's window; past it, it checks none. */
    budget: number;
  };
  hold: HoldRate;
}

export interface AdmissionFacts {
  now: number;
  /** The booking the number designates (see {@link pickConference}); undefined: no such conference. */
  conference: ConferenceFacts | undefined;
  /** Digits keyed; '' when the input was not a code at all (it then never matches). */
  code: string;
  attempts: AttemptFacts;
  /** The caller already waited the hold an attacked conference asked for: its code is checked now. */
  held: boolean;
  locked: boolean;
  /** Participants holding a live lease in this conference. */
  live: number;
}

/**
 * Which limit stopped the caller: its subject's, the stricter one of a new subject on an attacked
 * conference, or the attacked conference's budget of codes from new subjects (spent: see `retryAt`).
 */
export type AttemptScope = 'subject' | 'new-subject' | 'attack-budget';

/** A caller stopped by a limit; the attack budget also says when it has room again (epoch ms). */
export type LimitReached =
  | { kind: 'too-many-attempts'; scope: Exclude<AttemptScope, 'attack-budget'> }
  | { kind: 'too-many-attempts'; scope: 'attack-budget'; retryAt: number };

/**
 * The decision, and which failure counters it adds to: `unknown` counts against the subject,
 * `wrong-code` against the subject and the conference number, and against the conference's attack
 * budget when {@link spendsAttackBudget}. `hold`: the conference is under
 * attack, so its code is not checked before the caller has waited `ms` (then asked again, held).
 */
export type AdmissionDecision =
  | LimitReached
  | { kind: 'unknown' }
  | { kind: 'hold'; ms: number }
  | { kind: 'not-open' }
  | { kind: 'ended' }
  | { kind: 'wrong-code' }
  | { kind: 'locked' }
  | { kind: 'full' }
  | { kind: 'admit' };

/** Whether the conference number has had enough wrong codes in its window to be treated as attacked. */
export function underAttack(attempts: AttemptFacts): boolean {
  return attempts.conference >= attempts.limits.conference;
}

/**
 * Limits are checked before anything else, so a locked-out caller learns nothing (not even whether
 * the number exists). An attacked conference is never closed to a proven subject: one not admitted
 * lately gets the stricter `newSubject` limit, so each new address of a distributed attack gets
 * fewer guesses, and once the conference's attack budget is spent its codes are not checked at all,
 * so the guesses an hour stay bounded however many addresses the attack has.
 */
function limitReached(attempts: AttemptFacts): LimitReached | undefined {
  if (attempts.subject >= attempts.limits.subject) return { kind: 'too-many-attempts', scope: 'subject' };
  if (!underAttack(attempts) || attempts.proven) return undefined;
  if (attempts.subject >= attempts.limits.newSubject) return { kind: 'too-many-attempts', scope: 'new-subject' };
  if (attempts.budget.spent >= attempts.limits.budget)
    return { kind: 'too-many-attempts', scope: 'attack-budget', retryAt: attempts.budget.roomAt };
  return undefined;
}

/** Whether a wrong code checked now spends the conference's attack budget: it is under attack and the subject is not proven. */
export function spendsAttackBudget(attempts: AttemptFacts): boolean {
  return underAttack(attempts) && !attempts.proven;
}

/**
 * How long a caller waits before an attacked conference checks its code: a step per wrong code
 * past the threshold, capped. The wait comes before the check, so a guesser who hangs up early
 * learns nothing, and a right code is admitted after it like any other.
 */
export function holdMs(attempts: AttemptFacts): number {
  if (!underAttack(attempts)) return 0;
  const past = attempts.conference - attempts.limits.conference + 1;
  return Math.min(attempts.hold.maxMs, past * attempts.hold.stepMs);
}

/** Decides one admission. The order is the issue's: limits, number, window, (hold,) code, lock, cap. */
export function decideAdmission(f: AdmissionFacts): AdmissionDecision {
  const limited = limitReached(f.attempts);
  if (limited) return limited;
  const c = f.conference;
  if (!c) return { kind: 'unknown' };
  if (f.now < c.windowStart) return { kind: 'not-open' };
  if (f.now > c.windowEnd) return { kind: 'ended' };
  const hold = f.held ? 0 : holdMs(f.attempts);
  if (hold > 0) return { kind: 'hold', ms: hold };
  if (!constantTimeEqual(f.code, c.accessCode)) return { kind: 'wrong-code' };
  if (f.locked) return { kind: 'locked' };
  if (f.live >= c.estimatedConnections) return { kind: 'full' };
  return { kind: 'admit' };
}

export type LookupDecision = LimitReached | { kind: 'unknown' } | { kind: 'known' };

/** Decides a number lookup (the IVR's question before the code): the same first two steps as {@link decideAdmission}. */
export function decideLookup(f: Pick<AdmissionFacts, 'conference' | 'attempts'>): LookupDecision {
  return limitReached(f.attempts) ?? (f.conference ? { kind: 'known' } : { kind: 'unknown' });
}

/** A booking on the number, as seen from `now`. */
export interface WindowOf {
  windowStart: number;
  windowEnd: number;
}

/**
 * Which booking a conference number designates at `now`. Windows on one number never overlap
 * (the store allocates numbers so), so at most one is current. Otherwise the caller is told about
 * the nearest one in time: the next (`not-open`) or the previous one if it ended less than
 * `endedNoticeMs` ago (`ended`); an equal distance goes to the next one. Older bookings are
 * forgotten: the number is `unknown`.
 */
export function pickConference<T extends WindowOf>(
  now: number,
  next: T | undefined,
  previous: T | undefined,
  endedNoticeMs: number,
): T | undefined {
  if (next && next.windowStart <= now) return next;
  const recent = previous && now - previous.windowEnd <= endedNoticeMs ? previous : undefined;
  if (!next) return recent;
  if (!recent) return next;
  return next.windowStart - now <= now - recent.windowEnd ? next : recent;
}

/**
 * Compares an entered code with the booking's without an early exit, so the time taken does not
 * tell how many leading digits were right. Lengths are public (codes are 4 digits), so unequal
 * lengths answer false at once. The Lua mirror XOR-accumulates over the bytes the same way.
 */
export function constantTimeEqual(entered: string, expected: string): boolean {
  const a = Buffer.from(entered, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  if (a.length !== b.length || a.length === 0) return false;
  return timingSafeEqual(a, b);
}

/** How a caller is counted for brute-force limits. */
export interface AttemptSubject {
  /** `source`: per signalling address; `caller`: per calling number behind a trusted gateway. */
  scope: 'source' | 'caller';
  /** The counter's name: `203.0.113.5`, or `192.0.2.1/+33612345678` for a gateway's caller. */
  id: string;
}

/** Calling numbers kept as they are; anything else is counted as one `unknown` caller of the gateway. */
const CALLING_NUMBER = /^\+?[0-9A-Za-z._-]{1,32}$/;

/**
 * The subject whose failures are counted. A trusted gateway (a PSTN gateway, an H.323 gatekeeper)
 * carries many callers on one address, so its callers are counted per calling number: one
 * caller sweeping codes through it does not lock out everyone else behind it.
 */
export function attemptSubject(
  address: string,
  callingNumber: string | undefined,
  trustedGateways: ReadonlySet<string>,
): AttemptSubject {
  const normalized = address.toLowerCase();
  if (!trustedGateways.has(normalized)) return { scope: 'source', id: normalized };
  const caller = callingNumber !== undefined && CALLING_NUMBER.test(callingNumber) ? callingNumber : 'unknown';
  return { scope: 'caller', id: `${normalized}/${caller}` };
}
