import { parse, write, type MediaDescription, type SessionDescription } from 'sdp-transform';
import type { G711Codec } from '../codec/g711';
import {
  checkSessionDescription,
  g711CodecOf,
  ipVersion,
  isPlainRtpProfile,
  mirrorDirection,
  payloadTypes,
  reject,
  remoteAddress,
  telephoneEventPayloadType,
  type NegotiatedAudio,
  type SdpRejection,
} from './negotiated-audio';
import { audioMediaLines, type LocalSdpParameters } from './local-sdp';

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
export function answerAudioOffer(offerSdp: string, local: LocalSdpParameters, codecs: readonly G711Codec[] = ['PCMU', 'PCMA']): SdpAnswer | SdpRejection {
  let offer: Partial<SessionDescription>;
  try {
    offer = parse(offerSdp);
  } catch {
    return reject(399, 'SDP could not be parsed');
  }
  const invalid = checkSessionDescription(offer);
  if (invalid) return invalid;
  let chosen: { index: number; codec: G711Codec; payloadType: number } | undefined;
  let sawAudio = false;
  let sawSecureAudio = false;
  offer.media!.forEach((media, index) => {
    if (chosen || media.type !== 'audio' || media.port === 0) return;
    sawAudio = true;
    if (!isPlainRtpProfile(media.protocol)) {
      sawSecureAudio ||= media.protocol.toUpperCase().includes('SAVP');
      return;
    }
    const payloadType = payloadTypes(media).find((pt) => {
      const codec = g711CodecOf(media, pt);
      return codec !== undefined && codecs.includes(codec);
    });
    if (payloadType !== undefined) chosen = { index, codec: g711CodecOf(media, payloadType)!, payloadType };
  });
  if (!chosen) {
    if (!sawAudio) return reject(304, 'no audio stream offered');
    if (sawSecureAudio) return reject(302, 'only secure RTP (RTP/SAVP) offered; confgate speaks RTP/AVP');
    return reject(305, `no common audio codec; confgate accepts ${codecs.join(', ')}`);
  }
  const offeredAudio = offer.media![chosen.index]!;
  const remote = remoteAddress(offer, offeredAudio);
  if (remote && 'ok' in remote) return remote;
  const audio: NegotiatedAudio = {
    codec: chosen.codec,
    payloadType: chosen.payloadType,
    telephoneEventPayloadType: telephoneEventPayloadType(offeredAudio),
    remote,
    direction: mirrorDirection(offeredAudio, offer),
  };
  const [accepted] = audioMediaLines(local, [{ codec: audio.codec, payloadType: audio.payloadType }], audio.telephoneEventPayloadType, audio.direction, offeredAudio.protocol);
  const media = offer.media!.map((m, i): MediaDescription => (i === chosen!.index ? accepted! : refusedLine(m)));
  const answer: SessionDescription = {
    version: 0,
    origin: { username: 'confgate', sessionId: local.sessionId, sessionVersion: local.sessionVersion, netType: 'IN', ipVer: ipVersion(local.address), address: local.address },
    name: 'confgate',
    connection: { version: ipVersion(local.address), ip: local.address },
    timing: { start: 0, stop: 0 },
    media,
  };
  return { ok: true, sdp: write(answer), audio };
}

/** RFC 3264 §6: a refused stream keeps its media type and transport, port 0, and at least one of the offered formats. */
function refusedLine(offered: MediaDescription): MediaDescription {
  const format = String(offered.payloads ?? '').split(/\s+/)[0] || '0';
  return { type: offered.type, port: 0, protocol: offered.protocol, payloads: format, rtp: [], fmtp: [] };
}
