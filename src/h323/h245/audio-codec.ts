import type { DataType } from '../generated/h245-types';

/** The audio codecs confgate's IVR media runs: G.711 A-law and µ-law (RTP payload types 8 and 0, RFC 3551). */
export type H323AudioCodec = 'PCMA' | 'PCMU';

/** The G.711 law of an H.245 data type (`audioData.g711Alaw64k`/`g711Ulaw64k`), undefined for anything else (video, G.722, ...). */
export function audioCodecOf(dataType: DataType): H323AudioCodec | undefined {
  if (!('audioData' in dataType)) return undefined;
  const audio = dataType.audioData;
  if ('g711Alaw64k' in audio) return 'PCMA';
  if ('g711Ulaw64k' in audio) return 'PCMU';
  return undefined;
}

/** The H.245 data type confgate sends for a codec, 20 ms frames (H.245 §6 AudioCapability: frames per packet). */
export function audioDataType(codec: H323AudioCodec, framesPerPacket = 20): DataType {
  return { audioData: codec === 'PCMA' ? { g711Alaw64k: framesPerPacket } : { g711Ulaw64k: framesPerPacket } };
}
