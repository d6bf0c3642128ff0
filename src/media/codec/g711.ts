import { alaw, mulaw } from 'alawmulaw';

/** The two G.711 laws confgate speaks (ITU-T G.711; RTP static payload types of RFC 3551 §4.5.14). */
export type G711Codec = 'PCMU' | 'PCMA';

/** RFC 3551 table 4: PCMU is static payload type 0, PCMA is 8. */
export const G711_PAYLOAD_TYPE: Readonly<Record<G711Codec, number>> = { PCMU: 0, PCMA: 8 };

/** G.711 runs at 8 kHz, one byte per sample; a 20 ms packet (RFC 3551 §4.2 default ptime) is 160 samples. */
export const G711_SAMPLE_RATE = 8000;
export const SAMPLES_PER_20MS = 160;

/** Encodes 16-bit linear PCM (8 kHz) to G.711 bytes of the given law. */
export function encodeG711(codec: G711Codec, pcm: Int16Array): Uint8Array {
  return codec === 'PCMU' ? mulaw.encode(pcm) : alaw.encode(pcm);
}

/** Decodes G.711 bytes of the given law to 16-bit linear PCM. */
export function decodeG711(codec: G711Codec, payload: Uint8Array): Int16Array {
  return codec === 'PCMU' ? mulaw.decode(payload) : alaw.decode(payload);
}

/**
 * Each law's 256 code words decoded once by alawmulaw: G.711 decoding is a pure byte → sample map
 * (G.711 tables 1a/2a), so the receive path looks samples up instead of decoding per sample.
 */
const DECODE_TABLE: Readonly<Record<G711Codec, Int16Array>> = {
  PCMU: mulaw.decode(Uint8Array.from({ length: 256 }, (_, i) => i)),
  PCMA: alaw.decode(Uint8Array.from({ length: 256 }, (_, i) => i)),
};

/**
 * Decodes `payload` into the start of `out`, which the caller reuses (the receive path runs for
 * every packet of every call and must not allocate); `out` must hold `payload.length` samples.
 */
export function decodeG711Into(codec: G711Codec, payload: Uint8Array, out: Int16Array): void {
  if (out.length < payload.length)
    throw new RangeError(`G.711 payload of ${payload.length} bytes exceeds the ${out.length}-sample buffer`);
  const table = DECODE_TABLE[codec];
  for (let i = 0; i < payload.length; i++) out[i] = table[payload[i]!]!;
}

/** The byte that encodes digital silence in each law, used to pad the last packet of a prompt. */
export const G711_SILENCE: Readonly<Record<G711Codec, number>> = { PCMU: 0xff, PCMA: 0xd5 };
