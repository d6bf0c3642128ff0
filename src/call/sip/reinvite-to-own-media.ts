import { CallMedia } from '../../media/call-media';
import { RtpPortsExhaustedError } from '../../media/rtp/rtp-socket-pair';
import { acceptAudioAnswer, createAudioOffer, g711CodecsOf } from '../../media/sdp/audio-offer';
import { newLocalSdpParameters } from '../../media/sdp/local-sdp';
import type { Dialog } from '../../sip';
import type { IvrMediaContext } from './answer-with-ivr-media';

/** What taking a caller back to confgate's own media needs: the media endpoint, our RTP address, the log. */
export type OwnMediaContext = Pick<IvrMediaContext, 'media' | 'mediaAddress' | 'log'>;

/** How long a caller has to answer the re-INVITE before it is given up on: a few seconds, not Timer B's 32. */
export const OWN_MEDIA_ANSWER_MS = 4000;

/**
 * Takes an answered caller back to confgate's own media (RFC 3261 §14.1 re-INVITE): opens an RTP
 * session as the IVR's answer does, offers G.711 in the laws the caller's last SDP carried
 * (`g711CodecsOf`) with telephone-event, and starts it with the caller's answer. The o= line is a
 * new session's, as each RFC 3725 move already gives the caller its new far end's. Undefined
 * when the caller refuses, does not answer within `answerMs`, answers unusably, or no RTP port is
 * free; the media is then freed and the caller still up, for the caller's owner to hang up.
 */
export async function reinviteToOwnMedia(
  ctx: OwnMediaContext,
  dialog: Dialog,
  answerMs = OWN_MEDIA_ANSWER_MS,
): Promise<CallMedia | undefined> {
  const callId = dialog.sip.callId;
  let media: CallMedia;
  try {
    // The caller's keys are not wanted any more: only what it hears matters now.
    media = await CallMedia.open(ctx.media, () => undefined);
  } catch (error) {
    if (!(error instanceof RtpPortsExhaustedError)) throw error;
    ctx.log.warn({ callId, err: error }, 'call: no RTP port free to speak to the caller');
    return undefined;
  }
  const codecs = g711CodecsOf(dialog.remote.sdp);
  const offer = createAudioOffer(newLocalSdpParameters(ctx.mediaAddress, media.port), codecs);
  const answer = await answerWithin(dialog.modify(offer), answerMs);
  const accepted = answer.ok ? acceptAudioAnswer(answer.sdp, codecs) : undefined;
  if (!accepted?.ok) {
    ctx.log.info({ callId, why: answer.ok ? 'answer unusable' : answer.why }, 'call: caller not back on our media');
    await media.close();
    return undefined;
  }
  media.start(accepted.audio);
  return media;
}

/** The answer to the re-INVITE, or why none came: refused (a final non-2xx, the dialog gone) or too late. */
async function answerWithin(
  modified: Promise<string>,
  ms: number,
): Promise<{ ok: true; sdp: string } | { ok: false; why: string }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<{ ok: false; why: string }>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, why: `no answer within ${ms} ms` }), ms);
  });
  const answered = modified.then(
    (sdp) => ({ ok: true as const, sdp }),
    (err: unknown) => ({ ok: false as const, why: String(err) }),
  );
  try {
    return await Promise.race([answered, late]);
  } finally {
    clearTimeout(timer);
  }
}
