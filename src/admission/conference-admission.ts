import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Admission, AdmissionAnswer, AdmissionRequest, CallerSource, NumberVerdict } from './admission-port';
import type { Logger } from '../log/logger';
import type {
  AdmissionEngine,
  AdmissionOutcome,
  AttemptAlert,
  CheckedRequest,
  HeldParticipant,
  Participant,
} from './admission-engine';
import { checkedCaller, checkedCode, checkedNumber, viaSchema, type CheckedCaller } from './admission-input';
import { attemptSubject } from './admission-rules';
import type { AdmissionSettings } from './admission-settings';
import { localStartOf } from './local-start';
import { StoreContact } from './store-contact';

/**
 * A caller as the SIP or H.323 layer knows it. `callingNumber` (From user part, H.225 calling
 * party number) is what trusted gateways' callers are counted by.
 */
export interface AdmissionCaller extends CallerSource {
  callingNumber?: string;
}

export interface ConferenceAdmissionOptions {
  engine: AdmissionEngine;
  settings: AdmissionSettings;
  log: Logger;
  /** Names this controller in participant records; default `hostname-pid-random`. */
  instanceId?: string;
  /** The clock (epoch ms); tests move it. */
  now?: () => number;
  /** Each brute-force alert raised by this instance's decisions (the Redis engine has already published it). */
  onAlert?: (alert: AttemptAlert) => void;
  /**
   * A participant of this instance whose slot another instance revoked: reaped while this one was
   * alive but cut off from the store (the slot may have been given away), or released there (an
   * admin's kick no instance took). Its call must end. Never because of an outage that cut off
   * every instance: participants are then re-asserted.
   */
  onLeaseLost?: (participantId: string) => void;
  /**
   * False while the instance knows its store is unreachable (`src/store/store-health.ts`): lookups
   * and admissions then answer `unavailable` at once instead of waiting for a command to time out.
   */
  storeUp?: () => boolean;
}

const UNAVAILABLE = { kind: 'unavailable' } as const;

/** A refusal past a limit; a spent attack budget says, in whole seconds rounded up, when to retry. */
function tooManyAttempts(
  outcome: { retryAt?: number },
  now: number,
): Extract<AdmissionAnswer, { kind: 'too-many-attempts' }> {
  if (outcome.retryAt === undefined) return { kind: 'too-many-attempts' };
  return { kind: 'too-many-attempts', retryAfterSeconds: Math.max(1, Math.ceil((outcome.retryAt - now) / 1000)) };
}

/**
 * The admission every entry path uses (IVR, number in the Request-URI, number and code in the
 * Request-URI): the IVR's {@link Admission} port, plus what the call's lifetime and the admin need
 * (release, lease renewal, reaper, lock, live participants). Input is checked here, so the engines
 * only ever see digits and bounded strings; a caller's mistake is a verdict, a store failure is
 * `unavailable`, and nothing here throws for either.
 */
export class ConferenceAdmission implements Admission {
  readonly instanceId: string;
  /** Participants this instance admitted and has not released: the leases it renews, and re-asserts if lost. */
  private readonly held = new Map<string, HeldParticipant>();
  private readonly contact: StoreContact;
  private readonly now: () => number;
  private timers: NodeJS.Timeout[] = [];
  /** Timer runs in progress. */
  private readonly running = new Set<'renew' | 'reap'>();

  constructor(private readonly options: ConferenceAdmissionOptions) {
    this.instanceId = options.instanceId ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.now = options.now ?? Date.now;
    this.contact = new StoreContact(options.settings.leaseMs);
  }

  /** Runs one store call, noting whether the store answered (see `StoreContact`). */
  private async store<T>(call: () => Promise<T>): Promise<T> {
    const sentAt = this.now();
    try {
      const result = await call();
      this.contact.succeeded(this.now());
      return result;
    } catch (err) {
      // The store was already unreachable when the call was sent, maybe a whole timeout earlier.
      this.contact.failed(sentAt);
      throw err;
    }
  }

  /** Participants whose lease this instance renews. */
  get heldParticipants(): number {
    return this.held.size;
  }

  private request(
    number: string,
    code: string,
    caller: CheckedCaller,
    via: AdmissionRequest['via'],
    upMcus?: readonly string[],
    held = false,
  ): CheckedRequest {
    const now = this.now();
    return {
      number,
      code,
      via,
      upMcus,
      held,
      subject: attemptSubject(caller.address, caller.callingNumber, this.options.settings.trustedGateways),
      source: caller.address,
      callId: caller.callId,
      attemptId: randomUUID(),
      instanceId: this.instanceId,
      now,
      reapBefore: this.contact.reapBefore(now),
    };
  }

  /** Logs and hands on alerts; a failing listener must not change the caller's verdict. */
  private report(alerts: AttemptAlert[]): void {
    for (const alert of alerts) {
      this.options.log.warn(
        { alert },
        alert.kind === 'under-attack' ? 'conference under a guessing attack' : 'too many failed admission attempts',
      );
      try {
        this.options.onAlert?.(alert);
      } catch (err) {
        this.options.log.error({ err }, 'alert listener failed');
      }
    }
  }

  async lookup(number: string, source: AdmissionCaller): Promise<NumberVerdict> {
    const caller = checkedCaller(source);
    if (!caller) return this.badSource(source);
    const checked = checkedNumber(number);
    if (checked === undefined) return { kind: 'unknown' };
    if (this.storeDown(caller.callId)) return UNAVAILABLE;
    try {
      const { code: _code, via: _via, held: _held, ...request } = this.request(checked, '', caller, 'ivr');
      const outcome = await this.store(() => this.options.engine.lookup(request));
      this.report(outcome.alerts);
      this.options.log.debug({ callId: caller.callId, number: checked, verdict: outcome.kind }, 'number lookup');
      if (outcome.kind === 'known') return { kind: 'known', language: outcome.language };
      return outcome.kind === 'unknown' ? { kind: 'unknown' } : tooManyAttempts(outcome, request.now);
    } catch (err) {
      this.options.log.error({ err, callId: caller.callId }, 'number lookup failed');
      return UNAVAILABLE;
    }
  }

  async noEntry(source: AdmissionCaller): Promise<void> {
    const caller = checkedCaller(source);
    if (!caller) return void this.badSource(source);
    if (this.storeDown(caller.callId)) return;
    try {
      const { code: _code, via: _via, held: _held, ...request } = this.request('', '', caller, 'ivr');
      this.report(await this.store(() => this.options.engine.countFailure(request)));
      this.options.log.info({ callId: caller.callId }, 'IVR call without a key: counted as a failed attempt');
    } catch (err) {
      this.options.log.error({ err, callId: caller.callId }, 'counting a call without a key failed');
    }
  }

  async admit(request: AdmissionRequest & { source: AdmissionCaller }): Promise<AdmissionAnswer> {
    const caller = checkedCaller(request.source);
    if (!caller) return this.badSource(request.source);
    const number = checkedNumber(request.number);
    if (number === undefined) return { kind: 'unknown' };
    const via = viaSchema.safeParse(request.via);
    if (!via.success) {
      this.options.log.error({ callId: caller.callId }, 'admission asked with an unknown entry path');
      return UNAVAILABLE;
    }
    if (this.storeDown(caller.callId)) return UNAVAILABLE;
    const checked = this.request(
      number,
      checkedCode(request.code),
      caller,
      via.data,
      request.upMcus,
      request.held === true,
    );
    try {
      const outcome = await this.store(() => this.options.engine.admit(checked, this.options.settings.leaseMs));
      if (outcome.kind === 'admitted') this.held.set(checked.attemptId, heldParticipant(checked, outcome.bookingId));
      this.report(outcome.alerts);
      this.options.log.info({ callId: caller.callId, number, via: checked.via, verdict: outcome.kind }, 'admission');
      return this.verdict(outcome, checked);
    } catch (err) {
      this.options.log.error({ err, callId: caller.callId }, 'admission failed');
      return UNAVAILABLE;
    }
  }

  private verdict(outcome: AdmissionOutcome, request: CheckedRequest): AdmissionAnswer {
    switch (outcome.kind) {
      case 'admitted':
        return {
          kind: 'admitted',
          participant: { participantId: request.attemptId, bookingId: outcome.bookingId },
          language: outcome.language,
          ...(outcome.placedOn ? { placedOn: outcome.placedOn } : {}),
        };
      case 'not-open':
        return {
          kind: 'not-open',
          start: localStartOf(outcome.start, outcome.timeZone, request.now),
          language: outcome.language,
        };
      case 'ended':
      case 'wrong-code':
      case 'locked':
      case 'full':
        return { kind: outcome.kind, language: outcome.language };
      case 'unknown':
        return { kind: 'unknown' };
      case 'too-many-attempts':
        return tooManyAttempts(outcome, request.now);
      case 'hold':
        return { kind: 'hold', ms: outcome.ms };
    }
  }

  /** The store is known to be down: the caller is answered `unavailable` without a round trip. */
  private storeDown(callId: string): boolean {
    if (this.options.storeUp?.() ?? true) return false;
    this.options.log.info({ callId }, 'store down: admission unavailable');
    return true;
  }

  /** The transport handed over a source that is not an address or a Call-ID: a bug upstream, not the caller's doing. */
  private badSource(source: unknown): typeof UNAVAILABLE {
    const callId =
      typeof source === 'object' && source !== null && 'callId' in source
        ? String(source.callId).slice(0, 64)
        : undefined;
    this.options.log.error({ callId }, 'admission asked with an invalid caller source');
    return UNAVAILABLE;
  }

  /**
   * Frees the participant's slot, whatever ended the call (BYE, CANCEL, MCU failure, timeout,
   * kick). Only the first release of a participant frees it and answers true. If the store cannot
   * be reached, the lease is no longer renewed, so the slot frees itself when it runs out.
   */
  async release(participantId: string): Promise<boolean> {
    this.held.delete(participantId);
    try {
      return await this.store(() => this.options.engine.release(participantId, this.instanceId, this.now()));
    } catch (err) {
      this.options.log.error({ err, participantId }, 'release failed; the lease will free the slot');
      return false;
    }
  }

  /**
   * Renews every lease this instance holds in one call. Participants the store no longer holds
   * are re-asserted (the store lost them: a restart, a failover); those whose slot was revoked
   * (reaped by another instance, or released by one: an admin's kick) are reported lost and forgotten.
   */
  async renewLeases(): Promise<string[]> {
    if (this.held.size === 0) return [];
    const leaseUntil = (): number => this.now() + this.options.settings.leaseMs;
    const missing = await this.store(() => this.options.engine.renew([...this.held.keys()], leaseUntil()));
    // A participant released since the renewal was sent is missing for that reason: not re-asserted.
    const carried = missing.flatMap((id) => this.held.get(id) ?? []);
    if (carried.length === 0) return [];
    const lost = await this.store(() => this.options.engine.reassert(this.instanceId, carried, leaseUntil()));
    const reasserted = carried.length - lost.length;
    if (reasserted > 0) this.options.log.warn({ count: reasserted }, 're-asserted participants the store had lost');
    for (const id of lost) {
      this.held.delete(id);
      this.options.log.warn(
        { participantId: id },
        'participant slot revoked (reaped or released elsewhere): ending its call',
      );
      this.options.onLeaseLost?.(id);
    }
    return lost;
  }

  /**
   * Frees participants (of any instance) whose lease has run out. Safe on every instance at once.
   * Just after an outage, only those whose lease ended before it (see `StoreContact`).
   */
  async reapExpired(): Promise<string[]> {
    const before = this.contact.reapBefore(this.now());
    const freed = await this.store(() => this.options.engine.reapExpired(before));
    if (freed.length > 0) this.options.log.warn({ count: freed.length }, 'freed participants whose lease expired');
    return freed;
  }

  /** Locks (or unlocks) a conference: new callers hear `locked`; those in it stay. False if no such booking. */
  setLocked(bookingId: string, locked: boolean): Promise<boolean> {
    return this.options.engine.setLocked(bookingId, locked, this.now());
  }

  /** Whether the conference is locked: admission's own flag, the one it refuses new callers on. */
  isLocked(bookingId: string): Promise<boolean> {
    return this.options.engine.isLocked(bookingId, this.now());
  }

  /** A conference's participants, oldest first, with the instance holding each and its lease deadline. */
  liveParticipants(bookingId: string): Promise<Participant[]> {
    return this.options.engine.liveParticipants(bookingId);
  }

  /** Starts renewing this instance's leases and reaping expired ones, on timers that do not keep the process alive. */
  start(): void {
    if (this.timers.length > 0) return;
    const { renewMs, reapMs } = this.options.settings;
    this.timers = [
      setInterval(() => void this.tick('renew'), renewMs),
      setInterval(() => void this.tick('reap'), reapMs),
    ];
    for (const t of this.timers) t.unref();
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  /** One timer run; a run still in progress (a slow store) is not overlapped. */
  private async tick(what: 'renew' | 'reap'): Promise<void> {
    if (this.running.has(what)) return;
    this.running.add(what);
    try {
      await (what === 'renew' ? this.renewLeases() : this.reapExpired());
    } catch (err) {
      this.options.log.error({ err }, what === 'renew' ? 'lease renewal failed' : 'reaper failed');
    } finally {
      this.running.delete(what);
    }
  }
}

/** What the instance keeps of a participant it admitted, to write its record again if the store loses it. */
function heldParticipant(r: CheckedRequest, bookingId: string): HeldParticipant {
  return {
    participantId: r.attemptId,
    bookingId,
    number: r.number,
    source: r.source,
    callId: r.callId,
    via: r.via,
    joinedAt: r.now,
  };
}
