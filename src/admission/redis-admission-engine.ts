import type { Language } from '../booking/booking';
import type { RedisClient } from '../store/redis-connection';
import { redisChannels, redisKeys } from '../store/redis-keys';
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
import type { AdmissionSettings } from './admission-settings';
import {
  admitScript,
  countFailureScript,
  liveScript,
  lockScript,
  lookupScript,
  reapScript,
  reassertScript,
  releaseScript,
  renewScript,
} from './redis-admission-scripts';

type Reply = Array<string | null>;

/** The alert stream keeps about this many entries (`XADD MAXLEN ~`). */
const ALERT_STREAM_MAX_LENGTH = 10_000;

interface AdmissionCommands {
  confgateAdmissionLookup(...keysAndArgs: string[]): Promise<Reply>;
  confgateAdmissionCountFailure(...keysAndArgs: string[]): Promise<string>;
  confgateAdmissionAdmit(...keysAndArgs: string[]): Promise<Reply>;
  confgateAdmissionRelease(...keysAndArgs: string[]): Promise<number>;
  confgateAdmissionRenew(...keysAndArgs: string[]): Promise<string[]>;
  confgateAdmissionReap(...keysAndArgs: string[]): Promise<string[]>;
  confgateAdmissionReassert(...keysAndArgs: string[]): Promise<string[]>;
  confgateAdmissionLock(...keysAndArgs: string[]): Promise<number>;
  confgateAdmissionLive(...keysAndArgs: string[]): Promise<string[][]>;
}

const SCRIPTS: Array<[keyof AdmissionCommands, number, string]> = [
  ['confgateAdmissionLookup', 11, lookupScript],
  ['confgateAdmissionCountFailure', 11, countFailureScript],
  ['confgateAdmissionAdmit', 11, admitScript],
  ['confgateAdmissionRelease', 2, releaseScript],
  ['confgateAdmissionRenew', 1, renewScript],
  ['confgateAdmissionReap', 2, reapScript],
  ['confgateAdmissionReassert', 2, reassertScript],
  ['confgateAdmissionLock', 2, lockScript],
  ['confgateAdmissionLive', 2, liveScript],
];

/** Expired participants freed per reaper call; the reaper loops until a batch comes back short. */
const REAP_BATCH = 200;

function parseAlerts(json: string | null | undefined): AttemptAlert[] {
  return json ? (JSON.parse(json) as AttemptAlert[]) : [];
}

/** The scripts' `too-many-attempts`: with the instant a spent attack budget has room again, '' for another limit. */
function tooManyAttempts(retryAt: string | null | undefined): { kind: 'too-many-attempts'; retryAt?: number } {
  return retryAt ? { kind: 'too-many-attempts', retryAt: Number(retryAt) } : { kind: 'too-many-attempts' };
}

/**
 * Admission in Redis, shared by every controller instance: each decision (lookup, admit) is one
 * Lua script run with EVALSHA, so one round trip decides and reserves; a release is another.
 * Scripts are registered with ioredis `defineCommand`: the first use on a connection sends the
 * script's text (EVAL, which also loads it), every later one EVALSHA; a NOSCRIPT (server
 * restarted, SCRIPT FLUSH) is retried once with the text. Each is one round trip.
 */
export class RedisAdmissionEngine implements AdmissionEngine {
  private readonly redis: RedisClient & AdmissionCommands;

  constructor(
    redis: RedisClient,
    private readonly settings: AdmissionSettings,
  ) {
    for (const [name, numberOfKeys, lua] of SCRIPTS) {
      if (!(name in redis)) redis.defineCommand(name, { numberOfKeys, lua });
    }
    this.redis = redis as RedisClient & AdmissionCommands;
  }

  private decisionArgs(
    r: Omit<LookupRequest, 'reapBefore'> & Partial<Pick<CheckedRequest, 'code' | 'via' | 'reapBefore' | 'held'>>,
    leaseMs: number,
  ): string[] {
    const { limits, hold, provenMs } = this.settings;
    const { subject, conference, budget } = limits;
    return [
      redisKeys.number(r.number),
      redisKeys.attempts(r.subject.scope, r.subject.id),
      redisKeys.attempts('number', r.number),
      redisKeys.leases(),
      redisKeys.alerts(),
      redisKeys.alerted(r.subject.scope, r.subject.id),
      redisKeys.alerted('conference', r.number),
      redisKeys.revoked(),
      redisKeys.proven(r.subject.scope, r.subject.id),
      redisKeys.attempts('new-sources', r.number),
      redisKeys.alerted('attack-budget', r.number),
      String(r.now),
      r.number,
      r.code ?? '',
      r.attemptId,
      r.source,
      r.callId,
      r.via ?? '',
      r.instanceId,
      String(leaseMs),
      String(subject.max),
      String(subject.windowMs),
      String(conference.max),
      String(conference.windowMs),
      String(this.settings.endedNoticeMs),
      r.subject.scope,
      r.subject.id,
      redisChannels.alerts,
      String(ALERT_STREAM_MAX_LENGTH),
      redisKeys.booking(''),
      redisKeys.participant(''),
      redisKeys.live(''),
      redisKeys.locked(''),
      String(r.reapBefore ?? r.now),
      String(limits.newSubject),
      String(hold.stepMs),
      String(hold.maxMs),
      r.held ? '1' : '0',
      String(provenMs),
      String(budget.max),
      String(budget.windowMs),
    ];
  }

  async countFailure(request: LookupRequest): Promise<AttemptAlert[]> {
    return parseAlerts(await this.redis.confgateAdmissionCountFailure(...this.decisionArgs(request, 0)));
  }

  async lookup(request: LookupRequest): Promise<LookupOutcome> {
    const [kind, alerts, language, retryAt] = await this.redis.confgateAdmissionLookup(
      ...this.decisionArgs(request, 0),
    );
    const alert = parseAlerts(alerts);
    if (kind === 'known') return { kind, language: language as Language, alerts: alert };
    if (kind === 'too-many-attempts') return { ...tooManyAttempts(retryAt), alerts: alert };
    return { kind: 'unknown', alerts: alert };
  }

  async admit(request: CheckedRequest, leaseMs: number): Promise<AdmissionOutcome> {
    const args = this.decisionArgs(request, leaseMs);
    if (request.upMcus && request.upMcus.length > 0) args.push(redisKeys.placement(''), ...request.upMcus);
    const reply = await this.redis.confgateAdmissionAdmit(...args);
    const [kind, alertsJson, language, extra1, extra2, extra3] = reply as [
      string,
      string,
      Language,
      string,
      string,
      string,
    ];
    const alerts = parseAlerts(alertsJson);
    switch (kind) {
      case 'admitted':
        return {
          kind,
          bookingId: extra1,
          language,
          alerts,
          ...(extra2 ? { placedOn: { mcuId: extra2, title: extra3 ?? '' } } : {}),
        };
      case 'not-open':
        return { kind, start: extra1, timeZone: extra2, language, alerts };
      case 'hold':
        return { kind, ms: Number(extra1), alerts };
      case 'ended':
      case 'wrong-code':
      case 'locked':
      case 'full':
        return { kind, language, alerts };
      case 'unknown':
        return { kind, alerts };
      case 'too-many-attempts':
        return { ...tooManyAttempts(extra1), alerts };
      default:
        throw new Error(`admission script answered an unknown verdict: ${kind}`);
    }
  }

  async release(participantId: string, instanceId: string, now: number): Promise<boolean> {
    return (
      (await this.redis.confgateAdmissionRelease(
        redisKeys.leases(),
        redisKeys.revoked(),
        participantId,
        redisKeys.participant(''),
        redisKeys.live(''),
        instanceId,
        String(now),
      )) === 1
    );
  }

  async renew(participantIds: readonly string[], leaseUntil: number): Promise<string[]> {
    if (participantIds.length === 0) return [];
    return this.redis.confgateAdmissionRenew(redisKeys.leases(), String(leaseUntil), ...participantIds);
  }

  async reapExpired(now: number): Promise<string[]> {
    const freed: string[] = [];
    for (;;) {
      const batch = await this.redis.confgateAdmissionReap(
        redisKeys.leases(),
        redisKeys.revoked(),
        String(now),
        String(REAP_BATCH),
        redisKeys.participant(''),
        redisKeys.live(''),
        String(REVOKED_KEEP_MS),
      );
      freed.push(...batch);
      if (batch.length < REAP_BATCH) return freed;
    }
  }

  async reassert(instanceId: string, participants: readonly HeldParticipant[], leaseUntil: number): Promise<string[]> {
    if (participants.length === 0) return [];
    return this.redis.confgateAdmissionReassert(
      redisKeys.leases(),
      redisKeys.revoked(),
      String(leaseUntil),
      redisKeys.participant(''),
      redisKeys.live(''),
      instanceId,
      ...participants.flatMap((p) => [
        p.participantId,
        p.bookingId,
        p.number,
        p.source,
        p.callId,
        p.via,
        String(p.joinedAt),
      ]),
    );
  }

  async setLocked(bookingId: string, locked: boolean, now: number): Promise<boolean> {
    const done = await this.redis.confgateAdmissionLock(
      redisKeys.booking(bookingId),
      redisKeys.locked(bookingId),
      locked ? '1' : '0',
      String(now),
      String(LOCK_KEEP_MS),
    );
    return done === 1;
  }

  /** The flag's expiry (`PX`, set by the lock script) ends the lock, as `now` does in process. */
  async isLocked(bookingId: string): Promise<boolean> {
    return (await this.redis.exists(redisKeys.locked(bookingId))) === 1;
  }

  async liveParticipants(bookingId: string): Promise<Participant[]> {
    const rows = await this.redis.confgateAdmissionLive(
      redisKeys.live(bookingId),
      redisKeys.leases(),
      redisKeys.participant(''),
    );
    return rows
      .map((row) => {
        const h: Record<string, string> = {};
        for (let i = 0; i + 1 < row.length; i += 2) h[row[i]!] = row[i + 1]!;
        return {
          participantId: h.participantId!,
          bookingId: h.bookingId!,
          number: h.number!,
          source: h.source!,
          callId: h.callId!,
          via: h.via as Participant['via'],
          instanceId: h.instanceId!,
          joinedAt: Number(h.joinedAt),
          leaseUntil: Number(h.leaseUntil),
        };
      })
      .sort((a, b) => a.joinedAt - b.joinedAt || a.participantId.localeCompare(b.participantId));
  }
}
