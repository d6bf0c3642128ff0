/**
 * The media the test endpoint proposes, as H.245 DataTypes (H.245 §6.2.8 AudioCapability and
 * VideoCapability): G.711 A-law and µ-law and G.722 in the audio session, H.261 in the video session
 * (H.225.0 §8: session 1 is audio, 2 is video), with their RTP static payload types (RFC 3551 §6).
 */
import type { DataType, H261VideoCapability } from '../../../src/h323/generated/h245-types';

export type MediaFormat = 'PCMA' | 'PCMU' | 'G722' | 'H261';

/** 20 ms of audio per packet, as room systems send. */
const FRAMES_PER_PACKET = 20;

/** H.261 at QCIF and CIF, 384 kbit/s (H.245 §6.2.8.x H261VideoCapability, maxBitRate in 100 bit/s). */
export const H261_CIF: H261VideoCapability = {
  qcifMPI: 1,
  cifMPI: 1,
  temporalSpatialTradeOffCapability: false,
  maxBitRate: 3840,
  stillImageTransmission: false,
};

const DATA_TYPES: Readonly<Record<MediaFormat, DataType>> = {
  PCMA: { audioData: { g711Alaw64k: FRAMES_PER_PACKET } },
  PCMU: { audioData: { g711Ulaw64k: FRAMES_PER_PACKET } },
  G722: { audioData: { 'g722-64k': FRAMES_PER_PACKET } },
  H261: { videoData: { h261VideoCapability: H261_CIF } },
};

/** RFC 3551 table 4 and 5: PCMU 0, PCMA 8, G722 9, H261 31. */
export const RTP_PAYLOAD_TYPE: Readonly<Record<MediaFormat, number>> = { PCMU: 0, PCMA: 8, G722: 9, H261: 31 };

export function dataTypeOf(format: MediaFormat): DataType {
  return DATA_TYPES[format];
}

/** The format a DataType carries; undefined for anything the endpoint does not propose. */
export function formatOf(dataType: DataType): MediaFormat | undefined {
  if ('audioData' in dataType) {
    const audio = dataType.audioData;
    if ('g711Alaw64k' in audio) return 'PCMA';
    if ('g711Ulaw64k' in audio) return 'PCMU';
    if ('g722-64k' in audio) return 'G722';
  }
  if ('videoData' in dataType && 'h261VideoCapability' in dataType.videoData) return 'H261';
  return undefined;
}

/** H.225.0 §8 RTP session of a format. */
export function sessionOf(format: MediaFormat): 1 | 2 {
  return format === 'H261' ? 2 : 1;
}
