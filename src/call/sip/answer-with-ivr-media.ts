import { DigitStream } from '../../ivr/digit-stream';
import type { Logger } from '../../log/logger';
import { CallMedia, type MediaEndpointContext } from '../../media/call-media';
import { RtpPortsExhaustedError } from '../../media/rtp/rtp-socket-pair';
import { answerAudioOffer } from '../../media/sdp/audio-answer';
import { acceptAudioAnswer, createAudioOffer } from '../../media/sdp/audio-offer';
import { newLocalSdpParameters } from '../../media/sdp/local-sdp';
import type { NegotiatedAudio, SdpRejection } from '../../media/sdp/negotiated-audio';
import type { Dialog, Srf, SrfRequest, SrfResponse } from '../../sip';
import { byeHeaders } from './call-end-headers';

/** What answering an INVITE with confgate's own media needs. */
export interface IvrMediaContext {
  srf: Pick<Srf, 'createUAS'>;
  media: MediaEndpointContext;
  /** The address our SDP gives for RTP (c=, o=). */
  mediaAddress: string;
  log: Logger;
}

/** A caller answered by confgate's media: its dialog, its RTP endpoint and the keys it sends. */
export interface AnsweredWithMedia {
  dialog: Dialog;
  media: CallMedia;
  digits: DigitStream;
}

/**
 * Answers an INVITE with confgate's own media, for the IVR: opens the call's RTP ports (503 with
 * Retry-After when none is free), answers the SDP offer (488 with a `Warning`, RFC 3261 §20.43,
 * when it has no G.711 audio) or offers for an offerless INVITE and takes the answer from the ACK
 * (RFC 3264 §4; a BYE with `Reason` 488 when that answer is unusable), answers 200, and takes SIP
 * INFO digits (RFC 6086: 200, or 415 with `Accept`). Undefined when the call could not be answered:
 * the caller was told, or left, and the media is freed.
 */
export async function answerWithIvrMedia(
  ctx: IvrMediaContext,
  req: SrfRequest,
  res: SrfResponse,
): Promise<AnsweredWithMedia | undefined> {
  const digits = new DigitStream();
  let media: CallMedia;
  try {
    media = await CallMedia.open(ctx.media, (collected) => digits.push(collected.digit));
  } catch (error) {
    if (!(error instanceof RtpPortsExhaustedError)) throw error;
    ctx.log.warn({ callId: req.callId, err: error }, 'IVR call refused: no RTP port free');
    res.send(503, 'No Media Port Available', { headers: { 'Retry-After': '30' } });
    return undefined;
  }
  let dialog: Dialog | undefined;
  try {
    dialog = await answer(ctx, req, res, media);
  } finally {
    // Whatever kept the call from being answered, refusal or unexpected failure, frees its ports and clock slot.
    if (!dialog) await media.close();
  }
  return dialog && { dialog, media, digits };
}

async function answer(
  ctx: IvrMediaContext,
  req: SrfRequest,
  res: SrfResponse,
  media: CallMedia,
): Promise<Dialog | undefined> {
  const local = newLocalSdpParameters(ctx.mediaAddress, media.port);
  let audio: NegotiatedAudio | undefined;
  let localSdp: string;
  if (req.body.trim() !== '') {
    const answer = answerAudioOffer(req.body, local);
    if (!answer.ok) {
      res.send(answer.sipStatus, { headers: { Warning: warning(answer, ctx.mediaAddress) } });
      return undefined;
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
    ctx.log.info({ callId: req.callId, err: error }, 'IVR call ended before it was set up');
    return undefined;
  }
  if (!audio) {
    const accepted = acceptAudioAnswer(dialog.remote.sdp);
    if (!accepted.ok) {
      await dialog.destroy({ headers: byeHeaders({ status: 488, reason: accepted.reason }) });
      return undefined;
    }
    audio = accepted.audio;
  }
  media.start(audio);
  dialog.on('info', (infoReq: SrfRequest, infoRes: SrfResponse) => {
    const info = media.receiveSipInfo(infoReq.get('content-type'), infoReq.body);
    if (info.kind === 'unsupported-type') infoRes.send(415, { headers: { Accept: info.accept } });
    else infoRes.send(200);
  });
  return dialog;
}

/** RFC 3261 §20.43: `Warning: <code> <agent> "<text>"`. */
function warning(rejection: SdpRejection, agent: string): string {
  return `${rejection.warningCode} ${agent} "${rejection.reason.replace(/"/g, "'")}"`;
}
