import type { MediaDescription } from 'sdp-transform';
import type { G711Codec } from '../codec/g711';
import { audioMediaLines, writeLocalSdp, type LocalSdpParameters } from './local-sdp';
import * as sdp from './negotiated-audio';
import type { NegotiatedAudio, SdpRejection } from './negotiated-audio';

export interface SdpAnswer {
  ok: true;
  sdp: string;
  audio: NegotiatedAudio;
}

/**
 * Answers an SDP offer (RFC 3264 §6) for confgate's IVR endpoint: the first audio stream that can
 * carry G.711 is accepted, with one law (the offerer's preferred one among `codecs`) and the
 * offer's telephone-event payload type kept as is (RFC 4733 §7.1.1 lets it be any dynamic number);
 * every other m= line, video and BFCP of room systems included, is refused with port 0 in the same
 * position (RFC 3264 §6). Pure: returns a rejection instead of throwing.
 */
export function answerAudioOffer(
  offerSdp: string,
  local: LocalSdpParameters,
  codecs: readonly G711Codec[] = ['PCMU', 'PCMA'],
): SdpAnswer | SdpRejection {
  try {
    return answer(offerSdp, local, codecs);
  } catch {
    // Last line of defence: sdp-transform can hand back odd shapes for broken lines; a 488 beats a crash.
    return sdp.reject(399, 'SDP could not be read');
  }
}

function answer(offerSdp: string, local: LocalSdpParameters, codecs: readonly G711Codec[]): SdpAnswer | SdpRejection {
  const offer = sdp.parseSessionDescription(offerSdp);
  if (sdp.isRejection(offer)) return offer;
  let chosen: { index: number; codec: G711Codec; payloadType: number } | undefined;
  let sawAudio = false;
  let sawSecureAudio = false;
  offer.media.forEach((media, index) => {
    if (chosen || media.type !== 'audio' || media.port === 0) return;
    sawAudio = true;
    if (!sdp.isPlainRtpProfile(media.protocol)) {
      sawSecureAudio ||= String(media.protocol ?? '')
        .toUpperCase()
        .includes('SAVP');
      return;
    }
    const payloadType = sdp.payloadTypes(media).find((pt) => {
      const codec = sdp.g711CodecOf(media, pt);
      return codec !== undefined && codecs.includes(codec);
    });
    if (payloadType !== undefined) chosen = { index, codec: sdp.g711CodecOf(media, payloadType)!, payloadType };
  });
  if (!chosen) {
    if (!sawAudio) return sdp.reject(304, 'no audio stream offered');
    if (sawSecureAudio) return sdp.reject(302, 'only secure RTP (RTP/SAVP) offered; confgate speaks RTP/AVP');
    return sdp.reject(305, `no common audio codec; confgate accepts ${codecs.join(', ')}`);
  }
  const offeredAudio = offer.media[chosen.index]!;
  const remote = sdp.remoteAddress(offer, offeredAudio);
  if (remote && sdp.isRejection(remote)) return remote;
  const audio: NegotiatedAudio = {
    codec: chosen.codec,
    payloadType: chosen.payloadType,
    telephoneEventPayloadType: sdp.telephoneEventPayloadType(offeredAudio),
    remote,
    direction: sdp.mirrorDirection(offeredAudio, offer),
  };
  const [accepted] = audioMediaLines(
    local,
    [{ codec: audio.codec, payloadType: audio.payloadType }],
    audio.telephoneEventPayloadType,
    audio.direction,
    String(offeredAudio.protocol),
  );
  const media = offer.media.map((m, i): MediaDescription => (i === chosen!.index ? accepted! : refusedLine(m)));
  return { ok: true, sdp: writeLocalSdp(local, media), audio };
}

/** RFC 3264 §6: a refused stream keeps its media type and transport, port 0, and at least one of the offered formats. */
function refusedLine(offered: MediaDescription): MediaDescription {
  const format = String(offered.payloads ?? '').split(/\s+/)[0] || '0';
  return {
    type: String(offered.type ?? 'application'),
    port: 0,
    protocol: String(offered.protocol ?? 'RTP/AVP'),
    payloads: format,
    rtp: [],
    fmtp: [],
  };
}
