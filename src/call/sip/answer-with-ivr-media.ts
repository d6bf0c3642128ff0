import { randomInt } from 'node:crypto';
import type { Language } from '../../booking/booking';
import type { Logger } from '../../log/logger';
import { CallMedia, type MediaEndpointContext } from '../../media/call-media';
import { RtpPortsExhaustedError } from '../../media/rtp/rtp-socket-pair';
import { answerAudioOffer } from '../../media/sdp/audio-answer';
import { acceptAudioAnswer, createAudioOffer } from '../../media/sdp/audio-offer';
import type { LocalSdpParameters } from '../../media/sdp/local-sdp';
import type { NegotiatedAudio, SdpRejection } from '../../media/sdp/negotiated-audio';
import type { Dialog, Srf, SrfRequest, SrfResponse, RequestHandler } from '../../sip';
import type { Admission, AdmittedParticipant, CallerSource } from '../../ivr/admission-port';
import { CallMediaPlayer } from '../../ivr/call-media-player';
import { parseDialTarget, type DialTarget } from '../../ivr/dial-target';
import { DigitStream } from '../../ivr/digit-stream';
import { IvrSession, type IvrOutcome, type IvrSessionOptions, type PromptPlayer } from '../../ivr/ivr-session';
import type { IvrSettings } from '../../ivr/ivr-settings';
import type { PromptLibrary } from '../../ivr/prompt-library';
import { refusalStatus } from '../../ivr/refusal-status';

/** An admitted caller handed to routing, which owns the call (and its IVR media, if any) from then on. */
export type AdmittedCall = {
  number: string;
  participant: AdmittedParticipant;
  source: CallerSource;
} &
  /**
   * The IVR answered: handed over at the admission, while "you are being connected" plays;
   * `connectingPrompt` settles when it ends (or the caller hung up), before which the caller's
   * media must not move.
   */
  (
    | { answered: true; language: Language; dialog: Dialog; media: CallMedia; connectingPrompt: Promise<void> }
    /** A direct dial (`5387*8688@host`): the INVITE is still unanswered. */
    | { answered: false; req: SrfRequest; res: SrfResponse }
  );

export interface IvrCallContext {
  srf: Pick<Srf, 'createUAS'>;
  media: MediaEndpointContext;
  /** The address our SDP gives for RTP (c=, o=). */
  mediaAddress: string;
  admission: Admission;
  prompts: PromptLibrary;
  settings: IvrSettings;
  admissionTimeoutMs: number;
  log: Logger;
  onAdmitted(call: AdmittedCall): void;
}

/** A direct dial plays nothing and hears nothing: its IVR session only asks the admission. */
const NO_PROMPTS: PromptPlayer = {
  play: () => Promise.reject(new Error('a direct dial has no IVR media')),
  stop: () => undefined,
};

/**
 * The IVR phase of incoming calls, as an `srf.invite` handler: reads the dial target from the
 * Request-URI (404/484 with a reason when it names no conference); for a direct dial asks the
 * admission before any answer (a refusal is the final response, RFC 3261 §21); otherwise opens the
 * call's RTP ports, answers the SDP offer (or offers, for an offerless INVITE, RFC 3264 §4), answers
 * 200, and runs an {@link IvrSession} on the call's media, taking SIP INFO digits (RFC 6086) too.
 * A refused caller gets a BYE with a `Reason` header (RFC 3326); an admitted one goes to `onAdmitted`.
 */
export function ivrInviteHandler(ctx: IvrCallContext): RequestHandler {
  return async (req, res) => {
    const parsed = parseDialTarget(req.calledNumber, { numberLength: ctx.settings.numberLength });
    if (!parsed.ok) {
      res.send(parsed.status, parsed.reason);
      return;
    }
    const source: CallerSource = { address: req.source_address, callId: req.callId };
    if (parsed.target.kind === 'direct') await directDial(ctx, parsed.target, source, req, res);
    else await answeredIvr(ctx, parsed.target, source, req, res);
  };
}

async function directDial(
  ctx: IvrCallContext,
  target: DialTarget,
  source: CallerSource,
  req: SrfRequest,
  res: SrfResponse,
): Promise<void> {
  const session = newSession(ctx, target, source, NO_PROMPTS, new DigitStream());
  req.once('cancel', () => session.callerHungUp());
  session.start();
  const outcome = await session.outcome;
  if (outcome.kind === 'connect')
    ctx.onAdmitted({ answered: false, number: outcome.number, participant: outcome.participant, source, req, res });
  else if (outcome.kind === 'hang-up') {
    const refusal = refusalStatus(outcome.reason);
    res.send(refusal.status, refusal.reason);
  }
}

async function answeredIvr(
  ctx: IvrCallContext,
  target: DialTarget,
  source: CallerSource,
  req: SrfRequest,
  res: SrfResponse,
): Promise<void> {
  const digits = new DigitStream();
  let media: CallMedia;
  try {
    media = await CallMedia.open(ctx.media, (collected) => digits.push(collected.digit));
  } catch (error) {
    if (!(error instanceof RtpPortsExhaustedError)) throw error;
    ctx.log.warn({ callId: source.callId, err: error }, 'IVR call refused: no RTP port free');
    res.send(503, 'No Media Port Available', { headers: { 'Retry-After': '30' } });
    return;
  }
  let handedOver = false;
  try {
    handedOver = await runOnMedia(ctx, target, source, req, res, media, digits);
  } finally {
    // Whatever ended the call, refusal or unexpected failure, frees its ports and clock slot unless routing took them.
    if (!handedOver) await media.close();
  }
}

/** The IVR phase on the call's media; true when routing took the call and its media over. */
async function runOnMedia(
  ctx: IvrCallContext,
  target: DialTarget,
  source: CallerSource,
  req: SrfRequest,
  res: SrfResponse,
  media: CallMedia,
  digits: DigitStream,
): Promise<boolean> {
  const local: LocalSdpParameters = {
    address: ctx.mediaAddress,
    port: media.port,
    sessionId: String(randomInt(1, 2 ** 47)),
    sessionVersion: 1,
  };
  let audio: NegotiatedAudio | undefined;
  let localSdp: string;
  if (req.body.trim() !== '') {
    const answer = answerAudioOffer(req.body, local);
    if (!answer.ok) {
      res.send(answer.sipStatus, { headers: { Warning: warning(answer, ctx.mediaAddress) } });
      return false;
    }
    ({ sdp: localSdp, audio } = answer);
  } else {
    localSdp = createAudioOffer(local);
  }
  let dialog: Dialog;
  try {
    dialog = await ctx.srf.createUAS(req, res, { localSdp });
  } catch (error) {
    // Cancelled before the answer, no ACK, or BYE before ACK: the SIP layer has ended the call.
    ctx.log.info({ callId: source.callId, err: error }, 'IVR call ended before it was set up');
    return false;
  }
  if (!audio) {
    const accepted = acceptAudioAnswer(dialog.remote.sdp);
    if (!accepted.ok) {
      await dialog.destroy({ headers: { Reason: `SIP;cause=488;text="${accepted.reason}"` } });
      return false;
    }
    audio = accepted.audio;
  }
  media.start(audio);
  dialog.on('info', (infoReq: SrfRequest, infoRes: SrfResponse) => {
    const info = media.receiveSipInfo(infoReq.get('content-type'), infoReq.body);
    if (info.kind === 'unsupported-type') infoRes.send(415, { headers: { Accept: info.accept } });
    else infoRes.send(200);
  });
  let handedOver = false;
  // Routing takes the call at the admission: the MCU leg is set up while the connecting prompt plays.
  const onAdmitted: IvrSessionOptions['onAdmitted'] = (admitted) => {
    handedOver = true;
    const connectingPrompt = session.outcome.then(() => undefined);
    ctx.onAdmitted({ answered: true, ...admitted, source, dialog, media, connectingPrompt });
  };
  const session = newSession(ctx, target, source, new CallMediaPlayer(media), digits, onAdmitted);
  dialog.on('destroy', () => session.callerHungUp());
  session.start();
  const outcome = await session.outcome;
  // Handed over at the admission (a `connect` outcome always comes after it): the call, its media and
  // a hang-up during the prompt are routing's now.
  if (handedOver || outcome.kind === 'connect') return true;
  return refused(ctx, outcome, source, dialog, media);
}

/** Ends a call the IVR did not admit; always false (routing did not take it). */
async function refused(
  ctx: IvrCallContext,
  outcome: Exclude<IvrOutcome, { kind: 'connect' }>,
  source: CallerSource,
  dialog: Dialog,
  media: CallMedia,
): Promise<boolean> {
  switch (outcome.kind) {
    case 'hang-up': {
      const refusal = refusalStatus(outcome.reason);
      ctx.log.info({ callId: source.callId, dtmf: media.dtmf.firstMethod, reason: outcome.reason }, 'IVR call refused');
      await dialog.destroy({ headers: { Reason: `SIP;cause=${refusal.status};text="${refusal.reason}"` } });
      return false;
    }
    case 'caller-hung-up':
      return false;
  }
}

function newSession(
  ctx: IvrCallContext,
  target: DialTarget,
  source: CallerSource,
  player: PromptPlayer,
  digits: DigitStream,
  onAdmitted?: IvrSessionOptions['onAdmitted'],
): IvrSession {
  const { settings, admissionTimeoutMs, admission, prompts, log } = ctx;
  return new IvrSession({
    target,
    settings,
    admissionTimeoutMs,
    source,
    admission,
    prompts,
    player,
    digits,
    log,
    onAdmitted,
  });
}

/** RFC 3261 §20.43: `Warning: <code> <agent> "<text>"`. */
function warning(rejection: SdpRejection, agent: string): string {
  return `${rejection.warningCode} ${agent} "${rejection.reason.replace(/"/g, "'")}"`;
}
