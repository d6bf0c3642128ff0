import type { Language } from '../booking/booking';
import type { AdmissionRequest, KnownPlacement } from './admission-port';
import type { AttemptSubject } from './admission-rules';

/** A caller on a live conference, as admission recorded it when it reserved the slot. */
export interface Participant {
  participantId: string;
  bookingId: string;
  number: string;
  /** Signalling address the caller came from. */
  source: string;
  callId: string;
  via: AdmissionRequest['via'];
  /** The controller instance that admitted the caller and renews its lease. */
  instanceId: string;
  /** Epoch ms. */
  joinedAt: number;
  /** Epoch ms; past it, any instance's reaper frees the slot. */
  leaseUntil: number;
}

/** A participant as the instance carrying its call remembers it, enough to write its record again. */
export type HeldParticipant = Omit<Participant, 'leaseUntil' | 'instanceId'>;

/**
 * The brute-force alerts: `too-many-attempts` when a caller reaches its failure limit,
 * `under-attack` when a conference number reaches its attack threshold (it is then throttled),
 * `attack-budget-spent` when an attacked conference has checked as many codes from new sources as
 * its budget allows (it then checks only proven sources' codes until the window rolls).
 */
export const ATTEMPT_ALERT_KINDS = ['too-many-attempts', 'under-attack', 'attack-budget-spent'] as const;

/** Raised once per subject and window (see {@link ATTEMPT_ALERT_KINDS}). */
export interface AttemptAlert {
  kind: (typeof ATTEMPT_ALERT_KINDS)[number];
  /** `source` / `caller`: the subject's limit (see `AttemptSubject`); `conference`: the number's. */
  scope: AttemptSubject['scope'] | 'conference';
  /** Address, `gateway/calling-number`, or the conference number. */
  subject: string;
  number: string;
  count: number;
  limit: number;
  windowMs: number;
  at: number;
  callId: string;
  instanceId: string;
}

/** A lookup or admission request after input checks: digits only, bounded lengths. */
export interface CheckedRequest {
  /** Digits, at most 16. */
  number: string;
  /** Digits, or '' when the caller keyed something that is not a code (it then never matches). */
  code: string;
  subject: AttemptSubject;
  source: string;
  callId: string;
  via: AdmissionRequest['via'];
  /** The caller waited the hold an attacked conference asked for (see `decideAdmission`): its code is checked now. */
  held: boolean;
  /** Fresh id: the participant's if admitted, and the unique member of the failure windows otherwise. */
  attemptId: string;
  /** The controller instance asking: it owns the lease of an admitted participant. */
  instanceId: string;
  now: number;
  /**
   * A participant whose lease ended before this instant is freed (and not counted) by the decision:
   * `now`, or earlier while this instance recovers from an outage (see `StoreContact`).
   */
  reapBefore: number;
  /** MCUs up in routing's view: an admitted outcome then reports the conference's placement among them (see AdmissionRequest.upMcus). */
  upMcus?: readonly string[];
}

/** What a lookup (or a failure outside any decision) needs of a request. */
export type LookupRequest = Omit<CheckedRequest, 'code' | 'via' | 'held'>;

/** A revoked participant's id is remembered this long, so an instance cut off for less learns its call lost its slot. */
export const REVOKED_KEEP_MS = 86_400_000;

/** A lock flag outlives its conference's window by a day, then expires by itself. */
export const LOCK_KEEP_MS = 86_400_000;

/** Facts about the conference a refusal concerns, for the IVR's prompt. */
interface Spoken {
  language: Language;
}

/** Alerts raised by this decision (already published by the Redis engine). */
interface Alerted {
  alerts: AttemptAlert[];
}

/** A caller stopped by a limit; `retryAt` (epoch ms) when the limit is an attacked conference's spent budget. */
interface TooManyAttempts {
  kind: 'too-many-attempts';
  retryAt?: number;
}

/** What an engine decided and did, before it becomes the IVR's `AdmissionVerdict`. */
export type AdmissionOutcome = (
  | ({ kind: 'admitted'; bookingId: string; placedOn?: KnownPlacement } & Spoken)
  | ({ kind: 'not-open'; start: string; timeZone: string } & Spoken)
  | ({ kind: 'ended' | 'wrong-code' | 'locked' | 'full' } & Spoken)
  | { kind: 'unknown' }
  | TooManyAttempts
  | { kind: 'hold'; ms: number }
) &
  Alerted;

export type LookupOutcome = (({ kind: 'known' } & Spoken) | { kind: 'unknown' } | TooManyAttempts) & Alerted;

/**
 * Where admission keeps its state and takes its decisions: Redis (one Lua script per decision,
 * shared by every instance) or this process's memory. Both pass `test/admission/admission-contract.test.ts`.
 */
export interface AdmissionEngine {
  /** Looks a number up, counting an unknown number against the caller's subject. */
  lookup(request: LookupRequest): Promise<LookupOutcome>;
  /** Counts one failure against the caller's subject (an IVR call that left without a key); returns the alerts it raised. */
  countFailure(request: LookupRequest): Promise<AttemptAlert[]>;
  /** Decides, and on `admitted` reserves a slot under `attemptId` with a lease owned by `instanceId` until `now + leaseMs`. */
  admit(request: CheckedRequest, leaseMs: number): Promise<AdmissionOutcome>;
  /**
   * Frees a participant's slot; true only for the call that actually freed it. Freed by another
   * instance than its own, the slot is revoked (that instance then ends the call, see `reassert`).
   */
  release(participantId: string, instanceId: string, now: number): Promise<boolean>;
  /** Extends the leases of `participantIds` to `leaseUntil` in one step; returns those no longer held (revoked, or lost by the store). */
  renew(participantIds: readonly string[], leaseUntil: number): Promise<string[]>;
  /** Frees every participant whose lease ended before `now`, revoking it; returns their ids. */
  reapExpired(now: number): Promise<string[]>;
  /**
   * Writes again, with `instanceId` and a lease until `leaseUntil`, the participants this instance
   * carries that the store lost (even past the cap); returns those revoked instead (reaped, or released by another instance).
   */
  reassert(instanceId: string, participants: readonly HeldParticipant[], leaseUntil: number): Promise<string[]>;
  /** Admin lock; false when no such booking. */
  setLocked(bookingId: string, locked: boolean, now: number): Promise<boolean>;
  /** Whether an admin's lock on the conference holds at `now` (the flag `admit` refuses `locked` on). */
  isLocked(bookingId: string, now: number): Promise<boolean>;
  liveParticipants(bookingId: string): Promise<Participant[]>;
}
