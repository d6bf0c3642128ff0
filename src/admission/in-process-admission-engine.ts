import type { Booking } from '../booking/booking';
import type { BookingRepository } from '../booking/booking-repository';
import {
  LOCK_KEEP_MS,
  REVOKED_KEEP_MS,
  type AdmissionEngine,
  type AdmissionOutcome,
  type AttemptAlert,
  type CheckedRequest,
  type HeldParticipant,
  type LookupOutcome,
  type LookupRequest,
  type Participant,
} from './admission-engine';
import {
  decideAdmission,
  decideLookup,
  pickConference,
  spendsAttackBudget,
  type AdmissionDecision,
  type LookupDecision,
  type AttemptFacts,
  type ConferenceFacts,
  type FailureLimit,
} from './admission-rules';
import type { AdmissionSettings } from './admission-settings';

interface Candidate extends ConferenceFacts {
  booking: Booking;
}

type Request = LookupRequest;

/** The failure counts of one request, with the names of its counters. */
type Attempts = AttemptFacts & { names: { subject: string; conference: string; budget: string } };

/** An unknown number, or a limit reached: a spent attack budget says when it has room again. */
function refusal(decision: Extract<LookupDecision, { kind: 'unknown' | 'too-many-attempts' }>): {
  kind: 'unknown' | 'too-many-attempts';
  retryAt?: number;
} {
  if (decision.kind === 'too-many-attempts' && decision.scope === 'attack-budget')
    return { kind: decision.kind, retryAt: decision.retryAt };
  return { kind: decision.kind };
}

/**
 * Admission in this process's memory, for a single instance without Redis. It reads bookings
 * through the store, then decides and reserves synchronously (no `await` between the two), which
 * makes each decision atomic within the process as the Lua script is across processes. The
 * decision is `admission-rules.ts` itself; the effects mirror the Redis scripts.
 */
export class InProcessAdmissionEngine implements AdmissionEngine {
  /** Failure windows: counter name → failure instants (ms). */
  private readonly failures = new Map<string, number[]>();
  /** Alert flags: counter name → instant until which no new alert is raised for it. */
  private readonly alerted = new Map<string, number>();
  /** Subjects admitted lately: counter name → instant until which they are proven. */
  private readonly proven = new Map<string, number>();
  private readonly participants = new Map<string, Participant>();
  /** Booking id → ids of its participants. */
  private readonly live = new Map<string, Set<string>>();
  /** Participant id → instant its slot was taken from its instance (reaped, or released by another). */
  private readonly revoked = new Map<string, number>();
  /** Booking id → instant the lock flag expires. */
  private readonly locks = new Map<string, number>();

  constructor(
    private readonly bookings: BookingRepository,
    private readonly settings: AdmissionSettings,
  ) {}

  /** Windows as the booking service stores them: start − early-join margin to end + grace. */
  private candidate(booking: Booking): Candidate {
    return {
      booking,
      bookingId: booking.id,
      windowStart: Date.parse(booking.startsAt) - this.settings.earlyJoinMs,
      windowEnd: Date.parse(booking.endsAt) + this.settings.graceMs,
      accessCode: String(booking.accessCode),
      estimatedConnections: booking.estimatedConnections,
    };
  }

  /** The booking `number` designates at `now`, chosen by `pickConference` as the Lua script does. */
  private async conference(number: string, now: number): Promise<Candidate | undefined> {
    const current = await this.bookings.findActiveByNumberAt(number, now);
    if (current) return this.candidate(current);
    const { graceMs, endedNoticeMs } = this.settings;
    const near = (await this.bookings.listAll({ from: now - endedNoticeMs - graceMs }))
      .filter((b) => b.status === 'active' && b.number === number)
      .map((b) => this.candidate(b));
    const next = near.filter((c) => c.windowStart > now).sort((a, b) => a.windowStart - b.windowStart)[0];
    const previous = near.filter((c) => c.windowEnd < now).sort((a, b) => b.windowEnd - a.windowEnd)[0];
    return pickConference(now, next, previous, endedNoticeMs);
  }

  /** The failures of a window still in it at `now` (the others are forgotten), oldest first. */
  private kept(name: string, windowMs: number, now: number): number[] {
    const kept = (this.failures.get(name) ?? []).filter((t) => t > now - windowMs);
    if (kept.length === 0) this.failures.delete(name);
    else this.failures.set(name, kept);
    return kept;
  }

  private attempts(r: Request): Attempts {
    const { subject, conference, newSubject, budget } = this.settings.limits;
    const names = {
      subject: `${r.subject.scope}:${r.subject.id}`,
      conference: `number:${r.number}`,
      budget: `new-sources:${r.number}`,
    };
    const spent = this.kept(names.budget, budget.windowMs, r.now);
    return {
      names,
      subject: this.kept(names.subject, subject.windowMs, r.now).length,
      conference: this.kept(names.conference, conference.windowMs, r.now).length,
      proven: (this.proven.get(names.subject) ?? -Infinity) > r.now,
      budget: { spent: spent.length, roomAt: (spent[0] ?? r.now) + budget.windowMs },
      limits: { subject: subject.max, newSubject, conference: conference.max, budget: budget.max },
      hold: this.settings.hold,
    };
  }

  private alert(
    r: Request,
    kind: AttemptAlert['kind'],
    count: number,
    limit: FailureLimit,
    alerts: AttemptAlert[],
  ): void {
    const scope = kind === 'too-many-attempts' ? r.subject.scope : 'conference';
    const subject = scope === 'conference' ? r.number : r.subject.id;
    const flag = `${kind}:${scope}:${subject}`;
    if ((this.alerted.get(flag) ?? -Infinity) > r.now) return;
    this.alerted.set(flag, r.now + limit.windowMs);
    alerts.push({
      kind,
      scope,
      subject,
      number: r.number,
      count,
      limit: limit.max,
      windowMs: limit.windowMs,
      at: r.now,
      callId: r.callId,
      instanceId: r.instanceId,
    });
  }

  private recordFailure(
    r: Request,
    name: string,
    kind: AttemptAlert['kind'],
    limit: FailureLimit,
    alerts: AttemptAlert[],
  ): void {
    const list = this.failures.get(name) ?? [];
    list.push(r.now);
    this.failures.set(name, list);
    if (list.length >= limit.max) this.alert(r, kind, list.length, limit, alerts);
  }

  /** The effects shared by lookup and admit: alerts past a limit, a failure for an unknown number or a wrong code. */
  private countFailures(r: Request, decision: AdmissionDecision | LookupDecision, attempts: Attempts): AttemptAlert[] {
    const alerts: AttemptAlert[] = [];
    const { limits } = this.settings;
    if (decision.kind === 'too-many-attempts') {
      if (decision.scope === 'attack-budget')
        this.alert(r, 'attack-budget-spent', attempts.budget.spent, limits.budget, alerts);
      else {
        const limit =
          decision.scope === 'subject' ? limits.subject : { max: limits.newSubject, windowMs: limits.subject.windowMs };
        this.alert(r, 'too-many-attempts', attempts.subject, limit, alerts);
      }
    }
    if (decision.kind === 'unknown' || decision.kind === 'wrong-code')
      this.recordFailure(r, attempts.names.subject, 'too-many-attempts', limits.subject, alerts);
    if (decision.kind === 'wrong-code') {
      this.recordFailure(r, attempts.names.conference, 'under-attack', limits.conference, alerts);
      if (spendsAttackBudget(attempts))
        this.recordFailure(r, attempts.names.budget, 'attack-budget-spent', limits.budget, alerts);
    }
    return alerts;
  }

  /** The conference, unless the caller is already past a limit: then the store is not even asked. */
  private async conferenceUnlessLimited(r: Request): Promise<Candidate | undefined> {
    if (decideLookup({ conference: undefined, attempts: this.attempts(r) }).kind === 'too-many-attempts')
      return undefined;
    return this.conference(r.number, r.now);
  }

  async countFailure(request: Request): Promise<AttemptAlert[]> {
    const alerts: AttemptAlert[] = [];
    const name = `${request.subject.scope}:${request.subject.id}`;
    this.recordFailure(request, name, 'too-many-attempts', this.settings.limits.subject, alerts);
    return alerts;
  }

  async lookup(request: Request): Promise<LookupOutcome> {
    const c = await this.conferenceUnlessLimited(request);
    const attempts = this.attempts(request);
    const decision = decideLookup({ conference: c, attempts });
    const alerts = this.countFailures(request, decision, attempts);
    if (decision.kind === 'known') return { kind: 'known', language: c!.booking.language, alerts };
    return { ...refusal(decision), alerts };
  }

  async admit(request: CheckedRequest, leaseMs: number): Promise<AdmissionOutcome> {
    const c = await this.conferenceUnlessLimited(request);
    const attempts = this.attempts(request);
    const decision = decideAdmission({
      now: request.now,
      conference: c,
      code: request.code,
      attempts,
      held: request.held,
      locked: c !== undefined && (this.locks.get(c.bookingId) ?? -Infinity) > request.now,
      live: c === undefined ? 0 : this.liveCount(c.bookingId, request.now, request.reapBefore),
    });
    const alerts = this.countFailures(request, decision, attempts);
    if (decision.kind === 'unknown' || decision.kind === 'too-many-attempts') return { ...refusal(decision), alerts };
    if (decision.kind === 'hold') return { kind: 'hold', ms: decision.ms, alerts };
    const { booking } = c!;
    const language = booking.language;
    switch (decision.kind) {
      case 'not-open':
        return { kind: 'not-open', start: booking.start, timeZone: booking.timeZone, language, alerts };
      case 'admit':
        this.reserve(request, booking, leaseMs);
        this.proven.set(attempts.names.subject, request.now + this.settings.provenMs);
        return { kind: 'admitted', bookingId: booking.id, language, alerts };
      default:
        return { kind: decision.kind, language, alerts };
    }
  }

  /** Counts the participants of a conference whose lease holds, reaping those whose lease ended if allowed (as the Lua does). */
  private liveCount(bookingId: string, now: number, reapBefore: number): number {
    let n = 0;
    for (const id of this.live.get(bookingId) ?? []) {
      if (this.participants.get(id)!.leaseUntil >= Math.min(now, reapBefore)) n += 1;
      else this.revoke(id, now);
    }
    return n;
  }

  private revoke(participantId: string, now: number): boolean {
    this.revoked.set(participantId, now);
    return this.free(participantId);
  }

  private reserve(r: CheckedRequest, booking: Booking, leaseMs: number): void {
    this.hold({
      participantId: r.attemptId,
      bookingId: booking.id,
      number: r.number,
      source: r.source,
      callId: r.callId,
      via: r.via,
      instanceId: r.instanceId,
      joinedAt: r.now,
      leaseUntil: r.now + leaseMs,
    });
  }

  private hold(participant: Participant): void {
    this.participants.set(participant.participantId, participant);
    let set = this.live.get(participant.bookingId);
    if (!set) this.live.set(participant.bookingId, (set = new Set()));
    set.add(participant.participantId);
  }

  private free(participantId: string): boolean {
    const p = this.participants.get(participantId);
    if (!p) return false;
    this.participants.delete(participantId);
    const set = this.live.get(p.bookingId)!;
    set.delete(participantId);
    if (set.size === 0) this.live.delete(p.bookingId);
    return true;
  }

  async release(participantId: string, instanceId: string, now: number): Promise<boolean> {
    const owner = this.participants.get(participantId)?.instanceId;
    return owner !== undefined && owner !== instanceId ? this.revoke(participantId, now) : this.free(participantId);
  }

  async renew(participantIds: readonly string[], leaseUntil: number): Promise<string[]> {
    const lost: string[] = [];
    for (const id of participantIds) {
      const p = this.participants.get(id);
      if (p) p.leaseUntil = leaseUntil;
      else lost.push(id);
    }
    return lost;
  }

  /** Frees expired participants, and forgets failure windows, alert flags and locks that have run out. */
  async reapExpired(now: number): Promise<string[]> {
    const expired = [...this.participants.values()].filter((p) => p.leaseUntil < now).map((p) => p.participantId);
    for (const id of expired) this.revoke(id, now);
    for (const [id, at] of this.revoked) if (at <= now - REVOKED_KEEP_MS) this.revoked.delete(id);
    const { subject, conference, budget } = this.settings.limits;
    const longest = Math.max(subject.windowMs, conference.windowMs, budget.windowMs);
    for (const [name, list] of this.failures) if (list.every((t) => t <= now - longest)) this.failures.delete(name);
    for (const [flag, until] of this.alerted) if (until <= now) this.alerted.delete(flag);
    for (const [subject, until] of this.proven) if (until <= now) this.proven.delete(subject);
    for (const [bookingId, until] of this.locks) if (until <= now) this.locks.delete(bookingId);
    return expired;
  }

  async reassert(instanceId: string, participants: readonly HeldParticipant[], leaseUntil: number): Promise<string[]> {
    const lost: string[] = [];
    for (const p of participants) {
      if (this.revoked.has(p.participantId)) lost.push(p.participantId);
      else this.hold({ ...p, instanceId, leaseUntil });
    }
    return lost;
  }

  async setLocked(bookingId: string, locked: boolean, now: number): Promise<boolean> {
    const booking = await this.bookings.get(bookingId);
    if (!booking) return false;
    if (locked) this.locks.set(bookingId, Math.max(this.candidate(booking).windowEnd, now) + LOCK_KEEP_MS);
    else this.locks.delete(bookingId);
    return true;
  }

  async isLocked(bookingId: string, now: number): Promise<boolean> {
    return (this.locks.get(bookingId) ?? -Infinity) > now;
  }

  async liveParticipants(bookingId: string): Promise<Participant[]> {
    return [...(this.live.get(bookingId) ?? [])]
      .map((id) => ({ ...this.participants.get(id)! }))
      .sort((a, b) => a.joinedAt - b.joinedAt || a.participantId.localeCompare(b.participantId));
  }
}
