import { parse, type MediaDescription, type SessionDescription } from 'sdp-transform';
import { G711_PAYLOAD_TYPE, type G711Codec } from '../codec/g711';

/** Our side's media direction (RFC 3264 §6.1), the mirror of the peer's. */
export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** The audio stream both sides agreed on: what the RTP endpoint needs to run the call. */
export interface NegotiatedAudio {
  codec: G711Codec;
  payloadType: number;
  /** Telephone-event payload type (RFC 4733 §7.1.1), undefined if the peer did not offer/accept it. */
  telephoneEventPayloadType: number | undefined;
  /** Where the peer wants RTP; undefined when it gave none yet (0.0.0.0 hold, RFC 3264 §8.4). */
  remote: { address: string; port: number } | undefined;
  direction: MediaDirection;
}

/**
 * Why an SDP could not be negotiated. The SIP layer answers 488 Not Acceptable Here (RFC 3261
 * §21.4.26; RFC 3264 §6) with a `Warning: <warningCode> <host> "<reason>"` header (RFC 3261 §20.43).
 */
export interface SdpRejection {
  ok: false;
  sipStatus: 488;
  warningCode: 304 | 305 | 302 | 399;
  reason: string;
}

export function reject(warningCode: SdpRejection['warningCode'], reason: string): SdpRejection {
  return { ok: false, sipStatus: 488, warningCode, reason };
}

/** The peer's SDP parsed by sdp-transform and checked for the lines our code relies on; never throws. */
export function parseSessionDescription(
  text: string,
): (Partial<SessionDescription> & { media: MediaDescription[] }) | SdpRejection {
  let session: Partial<SessionDescription>;
  try {
    session = parse(text);
  } catch {
    return reject(399, 'SDP could not be parsed');
  }
  if (session.version !== 0) return reject(399, 'SDP must start with v=0 (RFC 4566 §5.1)');
  if (typeof session.origin !== 'object' || session.origin === null)
    return reject(399, 'SDP has no o= line (RFC 4566 §5.2)');
  if (!Array.isArray(session.media) || session.media.length === 0) return reject(304, 'SDP has no m= line');
  return session as Partial<SessionDescription> & { media: MediaDescription[] };
}

export function isRejection(value: object): value is SdpRejection {
  return 'ok' in value && value.ok === false;
}

/** Audio profiles we can run: RTP/AVP and its feedback variant, whose RTCP feedback we may ignore (RFC 4585). */
export function isPlainRtpProfile(protocol: unknown): boolean {
  const upper = typeof protocol === 'string' ? protocol.toUpperCase() : '';
  return upper === 'RTP/AVP' || upper === 'RTP/AVPF';
}

/** The payload types in the m= line's order (RFC 3264 §5.1: the offerer's preference). */
export function payloadTypes(media: MediaDescription): number[] {
  return String(media.payloads ?? '')
    .split(/\s+/)
    .filter((p) => /^\d{1,3}$/.test(p))
    .map(Number);
}

/** The G.711 law a payload type carries: by rtpmap when present, else by its static number (RFC 3551 table 4). */
export function g711CodecOf(media: MediaDescription, payloadType: number): G711Codec | undefined {
  const map = media.rtp?.find((r) => r.payload === payloadType);
  if (map) {
    // sdp-transform types fields by the grammar's happy path; a malformed line can give numbers or nothing.
    const name = String(map.codec ?? '').toUpperCase();
    return (name === 'PCMU' || name === 'PCMA') && Number(map.rate ?? 8000) === 8000 ? name : undefined;
  }
  if (payloadType === G711_PAYLOAD_TYPE.PCMU) return 'PCMU';
  if (payloadType === G711_PAYLOAD_TYPE.PCMA) return 'PCMA';
  return undefined;
}

/** The first listed telephone-event/8000 payload type, RFC 4733 §7.1.1. */
export function telephoneEventPayloadType(media: MediaDescription): number | undefined {
  const listed = payloadTypes(media);
  return media.rtp?.find(
    (r) =>
      String(r.codec ?? '').toLowerCase() === 'telephone-event' &&
      Number(r.rate ?? 8000) === 8000 &&
      listed.includes(r.payload),
  )?.payload;
}

/** The peer's RTP address: media-level c= over session-level c= (RFC 4566 §5.7); 0.0.0.0 means none yet. */
export function remoteAddress(
  session: Partial<SessionDescription>,
  media: MediaDescription,
): NegotiatedAudio['remote'] | SdpRejection {
  const connection = media.connection ?? session.connection;
  if (!connection?.ip) return reject(399, 'no c= line for the audio stream (RFC 4566 §5.7)');
  const ip = String(connection.ip).split('/')[0]!;
  if (ip === '0.0.0.0' || ip === '::') return undefined;
  if (!Number.isInteger(media.port) || media.port < 1 || media.port > 65535)
    return reject(399, 'the audio m= line has no valid port');
  return { address: ip, port: media.port };
}

/** RFC 3264 §6.1: an offered sendonly stream is answered recvonly and so on. */
export function mirrorDirection(media: MediaDescription, session: Partial<SessionDescription>): MediaDirection {
  const theirs = media.direction ?? session.direction ?? 'sendrecv';
  switch (theirs) {
    case 'sendonly':
      return 'recvonly';
    case 'recvonly':
      return 'sendonly';
    case 'inactive':
      return 'inactive';
    default:
      return 'sendrecv';
  }
}
