import { G711_PAYLOAD_TYPE, type G711Codec } from '../codec/g711';
import { audioMediaLines, writeLocalSdp, type LocalSdpParameters } from './local-sdp';
import * as sdp from './negotiated-audio';
import type { NegotiatedAudio, SdpRejection } from './negotiated-audio';

/** RFC 4733 does not fix a number; 101 is what most equipment uses, so it keeps traces familiar. */
export const OFFERED_TELEPHONE_EVENT_PAYLOAD_TYPE = 101;

/**
 * Our offer for an INVITE that came without SDP (RFC 3261 §13.2.1: the offer then goes in the 2xx
 * and the answer comes in the ACK): G.711 μ-law and A-law at their static numbers, telephone-event.
 */
export function createAudioOffer(local: LocalSdpParameters, codecs: readonly G711Codec[] = ['PCMU', 'PCMA']): string {
  const media = audioMediaLines(
    local,
    codecs.map((codec) => ({ codec, payloadType: G711_PAYLOAD_TYPE[codec] })),
    OFFERED_TELEPHONE_EVENT_PAYLOAD_TYPE,
    'sendrecv',
  );
  return writeLocalSdp(local, media);
}

/**
 * The G.711 laws a peer's session description carries on its first audio stream, in its order of
 * preference (RFC 3264 §5.1): what a re-offer to that peer proposes, so it keeps the law it used.
 * Both laws when it carries none (or cannot be read), as for a first offer.
 */
export function g711CodecsOf(peerSdp: string): G711Codec[] {
  const all: G711Codec[] = ['PCMU', 'PCMA'];
  try {
    const session = sdp.parseSessionDescription(peerSdp);
    if (sdp.isRejection(session)) return all;
    const media = session.media.find((m) => m.type === 'audio' && m.port !== 0);
    const laws = media ? sdp.payloadTypes(media).map((pt) => sdp.g711CodecOf(media, pt)) : [];
    const used = all.filter((law) => laws.includes(law)).sort((a, b) => laws.indexOf(a) - laws.indexOf(b));
    return used.length > 0 ? used : all;
  } catch {
    // sdp-transform can hand back odd shapes for broken lines: offer both laws rather than fail the call.
    return all;
  }
}

/**
 * Reads the answer to our offer (RFC 3264 §7): the first audio m= line with a non-zero port,
 * its first G.711 payload type (the answerer must pick among ours) and its telephone-event.
 */
export function acceptAudioAnswer(
  answerSdp: string,
  codecs: readonly G711Codec[] = ['PCMU', 'PCMA'],
): { ok: true; audio: NegotiatedAudio } | SdpRejection {
  try {
    return accept(answerSdp, codecs);
  } catch {
    // Last line of defence: sdp-transform can hand back odd shapes for broken lines; a 488 beats a crash.
    return sdp.reject(399, 'SDP could not be read');
  }
}

function accept(answerSdp: string, codecs: readonly G711Codec[]): { ok: true; audio: NegotiatedAudio } | SdpRejection {
  const answer = sdp.parseSessionDescription(answerSdp);
  if (sdp.isRejection(answer)) return answer;
  const media = answer.media.find((m) => m.type === 'audio' && m.port !== 0);
  if (!media) return sdp.reject(304, 'the answer refused the audio stream');
  const payloadType = sdp.payloadTypes(media).find((pt) => {
    const codec = sdp.g711CodecOf(media, pt);
    return codec !== undefined && codecs.includes(codec) && pt === G711_PAYLOAD_TYPE[codec];
  });
  if (payloadType === undefined) return sdp.reject(305, 'the answer holds none of the offered codecs');
  const remote = sdp.remoteAddress(answer, media);
  if (remote && sdp.isRejection(remote)) return remote;
  return {
    ok: true,
    audio: {
      codec: sdp.g711CodecOf(media, payloadType)!,
      payloadType,
      telephoneEventPayloadType: sdp.telephoneEventPayloadType(media),
      remote,
      direction: sdp.mirrorDirection(media, answer),
    },
  };
}
