import type { Language } from '../booking/booking';
import type { CallEventPublisher } from '../call-log/call-event-publisher';
import type { CallRecord, CallRecordSink } from '../call-log/call-record';
import type {
  Admission,
  AdmissionAnswer,
  AdmissionRequest,
  AdmittedParticipant,
  CallerSource,
  KnownPlacement,
  NumberVerdict,
} from '../admission/admission-port';
import { parseDialTarget, type DialTarget } from '../ivr/dial-target';
import { collect, type IvrResult } from '../ivr/ivr-collect';
import type { IvrCapacity } from '../ivr/ivr-capacity';
import type { IvrSettings } from '../ivr/ivr-settings';
import type { PromptLibrary } from '../ivr/prompt-library';
import { refusalStatus } from '../ivr/refusal-status';
import { verdictInTime } from '../ivr/verdict-in-time';
import type { Logger } from '../log/logger';
import type { CallLeg, LegEnd, LiveLegs } from '../routing/live-legs';
import { mcuFailureResponse, NO_MCU } from '../routing/mcu-failure';
import type { McuHealth } from '../routing/mcu-health';
import type { McuPool } from '../routing/mcu-pool';
import type { CallEnd, CallerLeg, HeldCall, IvrMedia, McuBridge } from './caller-leg';
import { hangUpReason } from './hang-up-reason';
import type { IvrCallers } from './ivr-callers';
import { moveOffLostMcu } from './move-off-lost-mcu';
import { noMcuWords } from './no-mcu-words';

/** What every call of the dial-in shares. */
export interface DialInCallContext {
  admission: Admission;
  pool: Pick<McuPool, 'anyUp' | 'upIds' | 'routeAdmitted' | 'route' | 'moveOff' | 'mcus'> & {
    health: Pick<McuHealth, 'reportFailure'>;
  };
  legs: Pick<LiveLegs, 'open'>;
  records: CallRecordSink;
  prompts: PromptLibrary;
  ivr: IvrSettings;
  admissionTimeoutMs: number;
  retryAfterSeconds: number;
  log: Logger;
  /** Where each step of a call is published for the live view (ringing ... connected; `ended` comes from the legs). */
  events?: CallEventPublisher;
  /**
   * Told, for each admitted call, how long the INVITE to the MCU took to go out (ms): admission and
   * placement latency, from the call's arrival for a direct dial, from the IVR's admission request
   * (the access code's `#`) for an IVR call.
   */
  onMcuInvite?: (ms: number) => void;
  /** While it returns a refusal (the instance drains, `src/app/drain.ts`), every new call gets it at once. */
  refuseNewCalls?: () => CallEnd | undefined;
  /** Where answered callers are registered while in the IVR (hung up with a Reason when the instance stops). */
  ivrCallers?: Pick<IvrCallers, 'add'>;
  /** While it returns a refusal (the store is unreachable), new calls get it at once: verdict `store-down`. */
  refuseWhileStoreDown?: () => CallEnd | undefined;
  /** The caps on calls in the IVR (per source, total); a call past one is refused 503 before it is answered. */
  ivrCapacity?: Pick<IvrCapacity, 'take'>;
}

/** An admitted caller; `ivr` when the IVR answered it (absent for a direct dial, still unanswered). */
export interface Admitted {
  number: string;
  participant: AdmittedParticipant;
  /** The booking's language as admission said it (the deployment's otherwise): what confgate says to the caller. */
  language: Language;
  ivr?: Extract<IvrResult, { kind: 'admitted' }> & IvrMedia;
}

/**
 * One incoming call, from its arrival to its end, whatever the caller's signalling: reads the dial
 * target once, admits a direct dial (`5387*8688@`) at once or has the IVR collect number and code
 * (`conf@`, `5387@`, bare IP), places the conference on an MCU, moves the caller there
 * ({@link CallerLeg.moveToMcu}), and keeps the call until either side ends it. Every admitted call
 * is a {@link CallLeg}: its end releases the admission slot once and writes the call record; a call
 * that never got in writes its record here, with the verdict.
 */
export class DialInCall {
  /** The call record as far as it is known. */
  private readonly record: Omit<CallRecord, 'durationMs' | 'endedBy'>;
  private readonly source: CallerSource & { callingNumber?: string };
  /** Since when the caller waits for the MCU: its arrival, or for an IVR call its admission request. */
  private waitingSince = performance.now();
  /** Where admission found the conference already placed (placement then needs no round trip). */
  private placedOn: KnownPlacement | undefined;
  private admittedAs: Admitted | undefined;
  /** Set while the answered caller is in the IVR: takes it off `ivrCallers`. */
  private leaveIvr: (() => void) | undefined;

  constructor(
    private readonly caller: CallerLeg,
    private readonly o: DialInCallContext,
  ) {
    const { callId, address, callingNumber, protocol = 'sip' } = caller.identity;
    this.source = { address, callId, callingNumber };
    // Dial form, number and verdict are known once the dial target is read (the first step of `run`).
    const unread = { dialled: 'invalid', number: undefined, verdict: 'invalid-target' } as const;
    this.record = { callId, startedAt: Date.now(), source: address, protocol, callingNumber, ...unread };
  }

  /** The caller as admitted (number, participant, and for an IVR call its language and media); undefined until then. */
  get admission(): Readonly<Admitted> | undefined {
    return this.admittedAs;
  }

  /** Walks the call through its steps; resolves once it is admitted and on its way to the MCU, or refused. */
  async run(): Promise<void> {
    const { identity } = this.caller;
    const parsed = parseDialTarget(identity.dialled, { numberLength: this.o.ivr.numberLength });
    const target = parsed.ok ? parsed.target : undefined;
    this.record.dialled = target ? target.kind : 'invalid';
    this.record.number = target && target.kind !== 'ivr' ? target.number : undefined;
    this.record.verdict = target ? 'abandoned' : 'invalid-target';
    const { startedAt, dialled } = this.record;
    this.o.events?.ringing({ ...identity, startedAt, source: identity.address, dialled });
    const closed = this.o.refuseNewCalls?.();
    if (closed) {
      this.record.verdict = 'shutting-down';
      this.caller.refuse(closed);
      return this.notAdmitted();
    }
    if (!parsed.ok) {
      this.caller.refuse(parsed);
      return this.notAdmitted();
    }
    const storeDown = this.o.refuseWhileStoreDown?.();
    if (storeDown) {
      this.record.verdict = 'store-down';
      this.caller.refuse(storeDown);
      return this.notAdmitted();
    }
    if (!this.o.pool.anyUp()) {
      // Nothing could take the call: say so before the caller keys anything in (RFC 3261 §21.5.4).
      this.caller.refuse(this.noMcu());
      return this.notAdmitted('no-mcu');
    }
    let admitted: Admitted | undefined;
    try {
      admitted =
        parsed.target.kind === 'direct' ? await this.admitDirect(parsed.target) : await this.ivr(parsed.target);
    } finally {
      if (!admitted) this.notAdmitted();
      else this.admitted(admitted);
      // Out of the IVR only now: an admitted caller is a live leg already, so a drain never sees it in neither.
      this.leaveIvr?.();
    }
  }

  /** A direct dial: admission at once, before any answer; a refusal is the final response. */
  private async admitDirect(target: Extract<DialTarget, { kind: 'direct' }>): Promise<Admitted | undefined> {
    const { number, code } = target;
    const ask = (held: boolean): Promise<AdmissionAnswer> =>
      new Promise((resolve) =>
        verdictInTime(
          this.admit({ number, code, via: 'direct-dial', source: this.source, ...(held ? { held } : {}) }),
          this.o.admissionTimeoutMs,
          this.o.log,
          this.source.callId,
          resolve,
        ),
      );
    let verdict = await ask(false);
    if (verdict.kind === 'hold') {
      // An attacked conference checks the code only after the wait; a caller who cancels meanwhile has had nothing checked.
      const { ms } = verdict;
      await new Promise((r) => setTimeout(r, ms));
      if (this.caller.cancelled) return undefined;
      verdict = await ask(true);
    }
    if (verdict.kind === 'hold') return undefined; // a held request is never held again (admission-rules)
    if (verdict.kind === 'admitted')
      return { number, participant: verdict.participant, language: verdict.language ?? this.o.ivr.language };
    // A caller who cancelled meanwhile has had its 487 from the SIP layer.
    if (this.caller.cancelled) return undefined;
    const refusal = refusalStatus(verdict.kind);
    // Say when to retry (RFC 3261 §20.33): admission may be back in a moment (§21.5.4), or an attacked
    // conference's budget for new sources has room again then.
    const retryAfterSeconds =
      verdict.kind === 'unavailable'
        ? this.o.retryAfterSeconds
        : verdict.kind === 'too-many-attempts'
          ? verdict.retryAfterSeconds
          : undefined;
    this.caller.refuse(retryAfterSeconds === undefined ? refusal : { ...refusal, retryAfterSeconds });
    return undefined;
  }

  /** The IVR: answered with our media, the caller keys number and code until admitted, refused or gone. */
  private async ivr(target: Exclude<DialTarget, { kind: 'direct' }>): Promise<Admitted | undefined> {
    const place = this.o.ivrCapacity?.take(this.source.address);
    if (place?.ok === false) {
      this.record.verdict = `ivr-busy-${place.limit}`;
      const subject = place.limit === 'total' ? 'all' : this.source.address;
      this.o.events?.overload('ivr-calls', place.limit, subject, place.cap);
      this.caller.refuse({ status: 503, reason: 'IVR Busy', retryAfterSeconds: this.o.retryAfterSeconds });
      return undefined;
    }
    try {
      return await this.collectEntry(target);
    } finally {
      place?.slot.release();
    }
  }

  private async collectEntry(target: Exclude<DialTarget, { kind: 'direct' }>): Promise<Admitted | undefined> {
    const media = await this.caller.answer();
    if (!media) return undefined;
    this.leaveIvr = this.o.ivrCallers?.add((end) => this.caller.hangUp(end));
    const result = await collect(
      {
        target,
        source: this.source,
        player: media.prompts,
        digits: media.digits,
        admission: {
          lookup: (number) => this.lookup(number),
          admit: (request) => this.admit(request),
          noEntry: (source) => this.o.admission.noEntry(source),
        },
        gone: this.caller.whenGone(),
      },
      { settings: this.o.ivr, admissionTimeoutMs: this.o.admissionTimeoutMs, prompts: this.o.prompts, log: this.o.log },
    );
    switch (result.kind) {
      case 'admitted':
        return {
          number: result.number,
          participant: result.participant,
          language: result.language,
          ivr: { ...result, ...media },
        };
      case 'refused': {
        const refusal = refusalStatus(result.reason);
        this.o.log.info(
          { callId: this.source.callId, dtmf: this.caller.dtmfMethod, reason: result.reason },
          'IVR call refused',
        );
        await this.caller.hangUp(refusal);
        return undefined;
      }
      case 'caller-hung-up':
        await this.caller.hangUp();
        return undefined;
    }
  }

  private async lookup(number: string): Promise<NumberVerdict> {
    const verdict = await this.o.admission.lookup(number, this.source);
    this.record.number = number;
    if (verdict.kind !== 'known') this.record.verdict = verdict.kind;
    return verdict;
  }

  /** Admission, told which MCUs are up (it then says where the conference is, AdmissionRequest.upMcus). */
  private async admit(request: AdmissionRequest): Promise<AdmissionAnswer> {
    // An IVR caller, answered long ago, starts waiting for the MCU when its code is complete.
    if (request.via === 'ivr') this.waitingSince = performance.now();
    const verdict = await this.o.admission.admit({ ...request, source: this.source, upMcus: this.o.pool.upIds() });
    if (verdict.kind === 'hold') return verdict;
    if (verdict.kind === 'admitted') this.placedOn = verdict.placedOn;
    this.record.number = request.number;
    this.record.verdict = verdict.kind;
    return verdict;
  }

  /** A call that ends without admission: its record, and `refused` with the verdict (or `ended` when the caller gave up). */
  private notAdmitted(endedBy: 'refused' | 'cancel' | 'no-mcu' = this.caller.cancelled ? 'cancel' : 'refused'): void {
    const { record } = this;
    const sipStatus = this.caller.refusedWith;
    this.o.records.write({ ...record, durationMs: Date.now() - record.startedAt, endedBy, sipStatus });
    if (endedBy === 'cancel' || record.verdict === 'abandoned')
      this.o.events?.ended(record.callId, endedBy === 'cancel' ? 'cancel' : 'abandoned');
    else
      this.o.events?.refused(
        record.callId,
        endedBy === 'no-mcu' ? 'no-mcu' : record.verdict,
        record.number,
        record.source,
      );
  }

  /** Admitted: the call becomes a live leg and goes to its MCU. */
  private admitted(admitted: Admitted): void {
    this.admittedAs = admitted;
    const { number, participant, ivr } = admitted;
    const { participantId, bookingId } = participant;
    const { callId } = this.record;
    const dtmf = this.caller.dtmfMethod;
    this.o.events?.digits(callId, dtmf, number);
    this.o.events?.admitted(callId, participantId, bookingId, number);
    const leg = this.o.legs.open(participantId, bookingId, {
      ...this.record,
      number,
      verdict: 'admitted',
      dtmf: ivr ? (dtmf ?? 'none') : undefined,
    });
    this.connect(leg, admitted).catch((err: unknown) => {
      this.o.log.error({ err, callId }, 'dial-in: connecting to the MCU failed');
      leg.end('error');
    });
  }

  /**
   * Placement, then the caller moves to the MCU (while an IVR caller still hears "you are being
   * connected"). An MCU that fails the INVITE (unreachable, or refusing with a status another MCU may
   * not give) is left out and the conference placed again when it has no other live leg.
   */
  private async connect(leg: CallLeg, { number, ivr, language }: Admitted): Promise<void> {
    const routing = this.o.pool.routeAdmitted(leg.bookingId, leg.participantId, number, this.placedOn);
    // An answered caller can be hung up during its hand-over; a direct dial's hang-up waits for the connection.
    if (ivr) leg.hangUp = (cause) => void this.caller.hangUp(hangUpReason(cause));
    let route = await routing;
    const failed: string[] = [];
    let failure: CallEnd | undefined;
    for (;;) {
      if (this.caller.gone) return this.callerLeft(leg);
      if (route.kind !== 'mcu') {
        // After a failed INVITE the caller is told that failure, not the placement's answer for the rest.
        if (failure) return this.refuseAdmitted(leg, 'mcu-failure', failure, ivr);
        return this.refuseAdmitted(leg, 'no-mcu', this.noMcu(), ivr);
      }
      leg.mcu = route.mcu.id;
      if (failed.length === 0) this.o.onMcuInvite?.(performance.now() - this.waitingSince);
      const moved = await this.caller.moveToMcu(
        { uri: route.uri, participantId: leg.participantId },
        ivr?.connectingPrompt,
      );
      switch (moved.kind) {
        case 'connected':
          return this.connected(leg, moved.bridge, language);
        case 'held':
          return this.held(leg, moved.hold);
        case 'caller-gone':
          return this.callerLeft(leg);
        case 'media-refused':
          await this.caller.hangUp();
          return leg.end('media-refused');
        case 'mcu-failed': {
          const refused = this.mcuFailed(leg, route.mcu.id, moved.error);
          if (!refused.retry) return this.refuseAdmitted(leg, 'mcu-failure', refused.end, ivr);
          failure = refused.end;
          failed.push(route.mcu.id);
          route = await this.o.pool.route(leg.bookingId, leg.participantId, failed);
        }
      }
    }
  }

  /** What the caller is told of an MCU's failure, and whether another MCU may take the call (a 503 of confgate's side). */
  private mcuFailed(leg: CallLeg, mcuId: string, error: unknown): { end: CallEnd; retry: boolean } {
    const failure = mcuFailureResponse(error, this.o.retryAfterSeconds);
    if (failure.mcuUnreachable) this.o.pool.health.reportFailure(mcuId);
    this.o.log.info({ callId: leg.record.callId, mcu: mcuId, err: String(error) }, 'dial-in: MCU refused the call');
    // mcuFailureResponse adds the configured Retry-After to the refusals that may pass on another try.
    const retryAfterSeconds = failure.headers ? this.o.retryAfterSeconds : undefined;
    return {
      end: { status: failure.status, reason: failure.reason, retryAfterSeconds },
      retry: failure.status === 503,
    };
  }

  /** Both sides up: ends on a BYE from either, and on confgate's own hang-ups; moves off an MCU that is lost. */
  private connected(leg: CallLeg, bridge: McuBridge, language: Language): void {
    leg.connectedAt = Date.now();
    this.o.events?.connected(leg.record.callId, leg.participantId, leg.bookingId, leg.mcu ?? 'unknown');
    bridge.onEnd((by) => leg.end(by));
    leg.hangUp = (cause) => {
      bridge.hangUp(hangUpReason(cause));
      leg.end(cause);
    };
    let moving: Promise<void> | undefined;
    leg.mcuLost = () => {
      moving ??= moveOffLostMcu(leg, bridge, this.o, language)
        .catch((err: unknown) => {
          this.o.log.error({ err, callId: leg.record.callId }, 'dial-in: moving off a lost MCU failed');
          leg.requestHangUp('mcu-lost');
        })
        .finally(() => (moving = undefined));
    };
    bridge.onMcuLost(leg.mcuLost);
    this.o.log.info(
      { callId: leg.record.callId, participantId: leg.participantId, mcu: leg.mcu },
      'dial-in: connected to the MCU',
    );
    if (!bridge.up) leg.hangUp('caller');
    else if (leg.pendingHangUp) leg.hangUp(leg.pendingHangUp);
  }

  /** Held without an MCU leg: counted in the conference until the caller leaves or confgate hangs it up; never "connected". */
  private held(leg: CallLeg, hold: HeldCall): void {
    hold.onEnd(() => leg.end('caller'));
    leg.hangUp = (cause) => {
      leg.end(cause);
      hold.hangUp(hangUpReason(cause));
    };
    this.o.log.info(
      { callId: leg.record.callId, participantId: leg.participantId },
      'dial-in: caller held, no MCU leg',
    );
    if (!hold.up) leg.end('caller');
    else if (leg.pendingHangUp) leg.hangUp(leg.pendingHangUp);
  }

  /** The caller left before it reached the MCU: a CANCEL (487 from the SIP layer) or a hang-up. */
  private async callerLeft(leg: CallLeg): Promise<void> {
    await this.caller.hangUp();
    if (this.caller.cancelled) leg.end('cancel', 487);
    else leg.end('caller');
  }

  /**
   * An admitted caller no MCU takes: a direct dial gets the final response; an answered caller hears
   * the end of its connecting prompt, then "service unavailable", goodbye, and a hang-up with the reason.
   */
  private async refuseAdmitted(leg: CallLeg, cause: LegEnd, end: CallEnd, ivr: Admitted['ivr']): Promise<void> {
    if (!ivr) this.caller.refuse(end);
    else {
      await ivr.connectingPrompt;
      if (!this.caller.gone) {
        const clips = noMcuWords(this.o.prompts, ivr.language);
        await Promise.race([ivr.prompts.play(clips, { bargeIn: false }), this.caller.whenGone()]);
        ivr.prompts.stop();
      }
      await this.caller.hangUp(end);
    }
    leg.end(cause, end.status);
  }

  private noMcu(): CallEnd {
    return { ...NO_MCU, retryAfterSeconds: this.o.retryAfterSeconds };
  }
}
