import type { Language } from '../booking/booking';
import type {
  Admission,
  AdmissionRequest,
  AdmissionVerdict,
  CallerSource,
  KnownPlacement,
  NumberVerdict,
} from '../ivr/admission-port';
import { CallMediaPlayer } from '../ivr/call-media-player';
import { parseDialTarget } from '../ivr/dial-target';
import { ivrInviteHandler, type AdmittedCall } from './sip/answer-with-ivr-media';
import type { IvrSettings } from '../ivr/ivr-settings';
import type { PromptLibrary } from '../ivr/prompt-library';
import type { Logger } from '../log/logger';
import type { MediaEndpointContext } from '../media/call-media';
import {
  type Dialog,
  SipError,
  type Srf,
  type SrfRequest,
  type SrfResponse,
  type UacInvite,
  type UacOptions,
  type RequestHandler,
} from '../sip';
import { relayMidCallRequests } from '../routing/b2bua-relay';
import type { CallEventPublisher } from '../call-log/call-event-publisher';
import type { CallRecord, CallRecordSink } from '../call-log/call-record';
import { BYE_REASONS, type CallLeg, type LegEnd, type LiveLegs } from '../routing/live-legs';
import { mcuFailureResponse, NO_MCU } from '../routing/mcu-failure';
import type { McuPool, Route } from '../routing/mcu-pool';

export interface DialInControllerOptions {
  srf: Pick<Srf, 'createUAS' | 'createUAC' | 'createB2BUA'>;
  admission: Admission;
  pool: McuPool;
  legs: LiveLegs;
  records: CallRecordSink;
  media: MediaEndpointContext;
  /** The address our SDP gives for the IVR's RTP. */
  mediaAddress: string;
  prompts: PromptLibrary;
  ivr: IvrSettings;
  admissionTimeoutMs: number;
  retryAfterSeconds: number;
  log: Logger;
  /** Where each step of a call is published for the live view (ringing ... connected; `ended` comes from the legs). */
  events?: CallEventPublisher;
  /**
   * Told, for each admitted call, how long the INVITE to the MCU took to go out (ms): admission and
   * placement latency, from the INVITE's arrival for a direct dial, from the IVR's admission request
   * (the access code's `#`) for an IVR call.
   */
  onMcuInvite?: (ms: number) => void;
}

/** What is known of a call before it is admitted: the start of its call record. */
type Trace = Omit<CallRecord, 'durationMs' | 'endedBy'> & {
  displayName?: string;
  admitted: boolean;
  /** Since when the caller waits for the MCU: its INVITE's arrival, or for an IVR call its admission request. */
  waitingSince: number;
  /** Where admission found the conference already placed (routing then skips its placement round trip). */
  placedOn?: KnownPlacement;
};

/**
 * The dial-in: confgate's `srf.invite` handler. Reads the Request-URI (through the IVR's dial-target
 * parser), runs the IVR or a direct admission, and connects each admitted caller back to back to the
 * MCU that hosts the conference:
 * - direct dial (`5387*8688@`): the caller's offer goes to the MCU and its answer back (no media
 *   here), ringback and early media relayed;
 * - IVR (`conf@`, `5387@`, bare IP): the caller was answered by the IVR; at its admission, while it
 *   hears "you are being connected", an offerless INVITE to the MCU; once the prompt ends, a
 *   re-INVITE of the caller with the MCU's offer, and the ACK to the MCU with the caller's answer
 *   (RFC 3725 §4.1, flow I, third-party call control), then the IVR's RTP ports are freed.
 * Then re-INVITE, UPDATE and INFO are relayed both ways and BYE ends both legs. Every admitted call
 * is a {@link CallLeg}: its end releases the admission slot once and writes the call record.
 */
export class DialInController {
  readonly handler: RequestHandler;
  private readonly traces = new Map<string, Trace>();
  private readonly ivrHandler: RequestHandler;

  constructor(private readonly o: DialInControllerOptions) {
    this.ivrHandler = ivrInviteHandler({
      srf: o.srf,
      media: o.media,
      mediaAddress: o.mediaAddress,
      admission: this.tracingAdmission(),
      prompts: o.prompts,
      settings: o.ivr,
      admissionTimeoutMs: o.admissionTimeoutMs,
      log: o.log,
      onAdmitted: (call) => this.admitted(call),
    });
    this.handler = (req, res) => this.invite(req, res);
  }

  private async invite(req: SrfRequest, res: SrfResponse): Promise<void> {
    const target = parseDialTarget(req.calledNumber, { numberLength: this.o.ivr.numberLength });
    const from = req.msg.from;
    const trace: Trace = {
      callId: req.callId,
      startedAt: Date.now(),
      source: req.source_address,
      callingNumber: req.callingNumber || undefined,
      displayName: from.displayName,
      dialled: target.ok ? target.target.kind : 'invalid',
      number: target.ok && target.target.kind !== 'ivr' ? target.target.number : undefined,
      verdict: target.ok ? 'abandoned' : 'invalid-target',
      admitted: false,
      waitingSince: performance.now(),
    };
    this.o.events?.ringing({ ...trace, transport: req.protocol, userAgent: req.get('user-agent') });
    if (target.ok && !this.o.pool.anyUp()) {
      // Nothing could take the call: say so before the caller keys anything in (RFC 3261 §21.5.4).
      this.sendNoMcu(res);
      this.writeRefused(trace, 'no-mcu', res.status);
      return;
    }
    this.traces.set(req.callId, trace);
    try {
      await this.ivrHandler(req, res);
    } finally {
      this.traces.delete(req.callId);
      if (!trace.admitted)
        this.writeRefused(trace, req.canceled ? 'cancel' : 'refused', res.status >= 300 ? res.status : undefined);
    }
  }

  /** The IVR's admission, noting the number entered and the verdict in the call's trace. */
  private tracingAdmission(): Admission {
    const inner = this.o.admission;
    const withCaller = (source: CallerSource): CallerSource & { callingNumber?: string } => ({
      ...source,
      callingNumber: this.traces.get(source.callId)?.callingNumber,
    });
    return {
      lookup: async (number: string, source: CallerSource): Promise<NumberVerdict> => {
        const verdict = await inner.lookup(number, withCaller(source));
        const trace = this.traces.get(source.callId);
        if (trace) {
          trace.number = number;
          if (verdict.kind !== 'known') trace.verdict = verdict.kind;
        }
        return verdict;
      },
      admit: async (request: AdmissionRequest): Promise<AdmissionVerdict> => {
        // An IVR caller, answered long ago, starts waiting for the MCU when its code is complete.
        const asking = this.traces.get(request.source.callId);
        if (asking && asking.dialled !== 'direct') asking.waitingSince = performance.now();
        const verdict = await inner.admit({
          ...request,
          source: withCaller(request.source),
          upMcus: this.o.pool.upIds(),
        });
        const trace = this.traces.get(request.source.callId);
        if (trace) {
          if (verdict.kind === 'admitted') trace.placedOn = verdict.placedOn;
          trace.number = request.number;
          trace.verdict = verdict.kind;
        }
        return verdict;
      },
    };
  }

  /** A call that ends without admission: its record, and `refused` with the verdict (or `ended` when the caller gave up). */
  private writeRefused(trace: Trace, endedBy: string, sipStatus: number | undefined): void {
    const { displayName: _d, admitted: _a, waitingSince: _w, placedOn: _p, ...record } = trace;
    this.o.records.write({ ...record, durationMs: Date.now() - trace.startedAt, endedBy, sipStatus });
    if (endedBy === 'cancel' || trace.verdict === 'abandoned')
      this.o.events?.ended(trace.callId, endedBy === 'cancel' ? 'cancel' : 'abandoned');
    else
      this.o.events?.refused(trace.callId, endedBy === 'no-mcu' ? 'no-mcu' : trace.verdict, trace.number, trace.source);
  }

  private sendNoMcu(res: SrfResponse): void {
    res.send(NO_MCU.status, NO_MCU.reason, { headers: { 'Retry-After': String(this.o.retryAfterSeconds) } });
  }

  private admitted(call: AdmittedCall): void {
    const trace = this.traces.get(call.source.callId);
    const {
      displayName,
      admitted: _a,
      waitingSince,
      placedOn,
      ...record
    } = trace ?? {
      callId: call.source.callId,
      startedAt: Date.now(),
      source: call.source.address,
      dialled: call.answered ? ('ivr' as const) : ('direct' as const),
      verdict: 'admitted',
      admitted: true,
      displayName: undefined,
      waitingSince: performance.now(),
    };
    if (trace) trace.admitted = true;
    const { participantId, bookingId } = call.participant;
    this.o.events?.digits(record.callId, call.answered ? call.media.dtmf.firstMethod : undefined, call.number);
    this.o.events?.admitted(record.callId, participantId, bookingId, call.number);
    const leg = this.o.legs.open(participantId, bookingId, {
      ...record,
      number: call.number,
      verdict: 'admitted',
      dtmf: call.answered ? (call.media.dtmf.firstMethod ?? 'none') : undefined,
    });
    const identity = mcuLegIdentity(leg, displayName, record.callingNumber, call.source.address);
    const route = this.o.pool.routeAdmitted(leg.bookingId, leg.participantId, call.number, placedOn);
    const connecting = call.answered
      ? this.connectAnswered(call, leg, identity, route, waitingSince)
      : this.connectDirect(call.req, call.res, leg, identity, route, waitingSince);
    connecting.catch((err: unknown) => {
      this.o.log.error({ err, callId: leg.record.callId }, 'dial-in: connecting to the MCU failed');
      leg.end('error');
    });
  }

  /** Direct dial: the caller's INVITE, still unanswered, goes on to the MCU with its offer. */
  private async connectDirect(
    req: SrfRequest,
    res: SrfResponse,
    leg: CallLeg,
    identity: McuLegIdentity,
    routing: Promise<Route>,
    waitingSince: number,
  ): Promise<void> {
    const route = await routing;
    if (req.canceled) return leg.end('cancel', 487);
    if (route.kind !== 'mcu') {
      this.sendNoMcu(res);
      return leg.end('no-mcu', NO_MCU.status);
    }
    leg.mcu = route.mcu.id;
    let legs: { uas: Dialog; uac: Dialog };
    this.o.onMcuInvite?.(performance.now() - waitingSince);
    try {
      legs = await this.o.srf.createB2BUA(req, res, route.uri, { passFailure: false, ...identity });
    } catch (err) {
      if (req.canceled) return leg.end('cancel', 487);
      // Answered already: the MCU took the call and the caller's side failed (no ACK, BYE before ACK).
      if (res.finalResponseSent) return leg.end('caller');
      const failure = mcuFailureResponse(err, this.o.retryAfterSeconds);
      if (failure.mcuUnreachable) this.o.pool.health.reportFailure(route.mcu.id);
      res.send(failure.status, failure.reason, { headers: failure.headers });
      this.o.log.info({ callId: req.callId, mcu: route.mcu.id, err: String(err) }, 'dial-in: MCU refused the call');
      return leg.end('mcu-failure', res.status);
    }
    this.connected(leg, legs.uas, legs.uac);
  }

  /**
   * IVR path, RFC 3725 §4.1 flow I: the caller (A) is answered by our media; INVITE the MCU (B)
   * without an offer during the connecting prompt, then re-INVITE A with B's offer, ACK B with A's answer.
   */
  private async connectAnswered(
    call: Extract<AdmittedCall, { answered: true }>,
    leg: CallLeg,
    identity: McuLegIdentity,
    routing: Promise<Route>,
    waitingSince: number,
  ): Promise<void> {
    const { dialog: caller, media } = call;
    let callerGone = false;
    let invite: UacInvite | undefined;
    const onCallerGone = (): void => {
      callerGone = true;
      invite?.cancel();
    };
    caller.once('destroy', onCallerGone);
    leg.hangUp = (cause) => {
      void caller.destroy({ headers: reasonHeader(cause) });
      onCallerGone();
    };
    const route = await routing;
    if (callerGone) return this.ended(leg, 'caller', media);
    if (route.kind !== 'mcu') return this.refuseAnswered(call, leg, 'no-mcu', NO_MCU);
    leg.mcu = route.mcu.id;
    let mcu: Dialog;
    this.o.onMcuInvite?.(performance.now() - waitingSince);
    try {
      mcu = await this.o.srf.createUAC(
        route.uri,
        { noOffer: true, noAck: true, ...identity },
        {
          cbRequest: (i) => {
            invite = i;
            if (callerGone) i.cancel();
          },
        },
      );
    } catch (err) {
      if (callerGone) return this.ended(leg, 'caller', media);
      const failure = mcuFailureResponse(err, this.o.retryAfterSeconds);
      if (failure.mcuUnreachable) this.o.pool.health.reportFailure(route.mcu.id);
      return this.refuseAnswered(call, leg, 'mcu-failure', failure);
    }
    // The MCU leg was set up while "you are being connected" played: the caller hears it to its end
    // before its media moves (the MCU's 2xx waits for its ACK meanwhile, RFC 3725 §4.1).
    await call.connectingPrompt;
    if (callerGone) {
      // The 2xx must still be acknowledged before the BYE (RFC 3261 §13.2.2.4, RFC 3725 §4.1).
      await mcu.ack(caller.remote.sdp);
      await mcu.destroy();
      return this.ended(leg, 'caller', media);
    }
    let answer: string;
    try {
      answer = await caller.modify(mcu.remote.sdp);
    } catch (err) {
      await mcu.ack(caller.remote.sdp);
      await mcu.destroy();
      if (callerGone || !caller.connected) return this.ended(leg, 'caller', media);
      const status = err instanceof SipError ? err.status : 500;
      await caller.destroy({ headers: { Reason: `SIP;cause=${status};text="Media Refused"` } });
      return this.ended(leg, 'media-refused', media);
    }
    await mcu.ack(answer);
    caller.off('destroy', onCallerGone);
    // The media now flows between the caller and the MCU: the IVR's RTP ports are no longer needed.
    await media.close();
    // The IVR took INFO for its digits; from now on INFO goes to the MCU.
    caller.removeAllListeners('info');
    if (!caller.connected) {
      await mcu.destroy();
      return leg.end('caller');
    }
    this.connected(leg, caller, mcu);
  }

  /** Both legs up: relay mid-call requests, end both on a BYE from either, end on our own hang-ups. */
  private connected(leg: CallLeg, caller: Dialog, mcu: Dialog): void {
    leg.connectedAt = Date.now();
    this.o.events?.connected(leg.record.callId, leg.participantId, leg.bookingId, leg.mcu ?? 'unknown');
    relayMidCallRequests(caller, mcu);
    relayMidCallRequests(mcu, caller);
    caller.on('destroy', () => {
      void mcu.destroy();
      leg.end('caller');
    });
    mcu.on('destroy', () => {
      void caller.destroy();
      leg.end('mcu');
    });
    leg.hangUp = (cause) => {
      void caller.destroy({ headers: reasonHeader(cause) });
      void mcu.destroy();
      leg.end(cause);
    };
    this.o.log.info(
      { callId: leg.record.callId, participantId: leg.participantId, mcu: leg.mcu },
      'dial-in: connected to the MCU',
    );
    if (!caller.connected || !mcu.connected) leg.hangUp('caller');
    else if (leg.pendingHangUp) leg.hangUp(leg.pendingHangUp);
  }

  /** An answered caller who cannot be connected: "service unavailable", goodbye, BYE with the reason. */
  private async refuseAnswered(
    call: Extract<AdmittedCall, { answered: true }>,
    leg: CallLeg,
    cause: LegEnd,
    failure: { status: number; reason: string },
  ): Promise<void> {
    const { dialog, media } = call;
    await call.connectingPrompt;
    if (dialog.connected) {
      const player = new CallMediaPlayer(media);
      const gone = new Promise<void>((resolve) => dialog.once('destroy', () => resolve()));
      await Promise.race([player.play(this.clips(call.language)), gone]);
      player.stop();
      await dialog.destroy({ headers: { Reason: `SIP;cause=${failure.status};text="${failure.reason}"` } });
    }
    await this.ended(leg, cause, media, failure.status);
  }

  private clips(language: Language) {
    return [this.o.prompts.get(language, 'unavailable'), this.o.prompts.get(language, 'goodbye')];
  }

  private async ended(
    leg: CallLeg,
    cause: LegEnd,
    media: { close(): Promise<void> },
    sipStatus?: number,
  ): Promise<void> {
    await media.close();
    leg.end(cause, sipStatus);
  }
}

function reasonHeader(cause: LegEnd): Record<string, string> | undefined {
  const reason = BYE_REASONS[cause];
  return reason ? { Reason: reason } : undefined;
}

/** Who the MCU leg says is calling, and the participant id (options of createUAC / createB2BUA). */
type McuLegIdentity = Pick<UacOptions, 'headers' | 'callingNumber' | 'callingName'>;

/**
 * The caller as the MCU sees it: the From carries the caller's display name and number (MCUs show
 * the display name under the participant's picture), RFC 3325 P-Asserted-Identity the number at
 * the address it called from, and `X-Confgate-Participant` the participant id, so the MCU's logs
 * can be matched to confgate's.
 */
function mcuLegIdentity(
  leg: CallLeg,
  displayName: string | undefined,
  callingNumber: string | undefined,
  source: string,
): McuLegIdentity {
  const headers: Record<string, string> = { 'X-Confgate-Participant': leg.participantId };
  const number = callingNumber && /^[A-Za-z0-9+\-_.!~*'()]+$/.test(callingNumber) ? callingNumber : undefined;
  const name = displayName?.replace(/[\x00-\x1f\x7f]/g, '').trim() || undefined;
  if (number) {
    const host = source.includes(':') ? `[${source}]` : source;
    headers['P-Asserted-Identity'] = `${name ? `"${name.replace(/["\\]/g, '')}" ` : ''}<sip:${number}@${host}>`;
  }
  return { headers, callingNumber: number, callingName: name };
}
