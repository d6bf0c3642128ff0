import { randomInt } from 'node:crypto';
import { write, type MediaDescription } from 'sdp-transform';
import type { G711Codec } from '../codec/g711';
import type { MediaDirection } from './negotiated-audio';

/** What our side puts in its o=, c= and m= lines. */
export interface LocalSdpParameters {
  /** The address the peer sends RTP to (advertised; may differ from the bind address). */
  address: string;
  /** Our even RTP port (RFC 3550 §11). */
  port: number;
  /** o= session id and version (RFC 4566 §5.2); the dialog bumps the version on each new offer or answer. */
  sessionId: string;
  sessionVersion: number;
}

/** The telephone-event events we take: DTMF 0-15 (RFC 4733 §7.1.1 fmtp). */
const DTMF_EVENTS = '0-15';
/** We send 20 ms packets (RFC 3551 §4.5 default for G.711), said with a=ptime (RFC 4566 §6). */
const PTIME_MS = 20;

/** Our audio m= line with the given codecs and optional telephone-event. */
export function audioMediaLines(
  local: LocalSdpParameters,
  codecs: ReadonlyArray<{ codec: G711Codec; payloadType: number }>,
  telephoneEventPayloadType: number | undefined,
  direction: MediaDirection,
  protocol = 'RTP/AVP',
): [MediaDescription] {
  const rtp: MediaDescription['rtp'] = codecs.map((c) => ({ payload: c.payloadType, codec: c.codec, rate: 8000 }));
  const fmtp: MediaDescription['fmtp'] = [];
  if (telephoneEventPayloadType !== undefined) {
    rtp.push({ payload: telephoneEventPayloadType, codec: 'telephone-event', rate: 8000 });
    fmtp.push({ payload: telephoneEventPayloadType, config: DTMF_EVENTS });
  }
  return [
    {
      type: 'audio',
      port: local.port,
      protocol,
      payloads: rtp.map((r) => r.payload).join(' '),
      rtp,
      fmtp,
      ptime: PTIME_MS,
      direction,
    },
  ];
}

/** Our session description around `media`: o= and c= carry our address (RFC 4566 §5.2, §5.7). */
export function writeLocalSdp(local: LocalSdpParameters, media: MediaDescription[]): string {
  const ipVer = local.address.includes(':') ? 6 : 4;
  return write({
    version: 0,
    origin: {
      username: 'confgate',
      sessionId: local.sessionId,
      sessionVersion: local.sessionVersion,
      netType: 'IN',
      ipVer,
      address: local.address,
    },
    name: 'confgate',
    connection: { version: ipVer, ip: local.address },
    timing: { start: 0, stop: 0 },
    media,
  });
}

/** Our parameters for a new session description on `port`: a fresh o= session id, version 1 (RFC 4566 §5.2). */
export function newLocalSdpParameters(address: string, port: number): LocalSdpParameters {
  return { address, port, sessionId: String(randomInt(1, 2 ** 47)), sessionVersion: 1 };
}
