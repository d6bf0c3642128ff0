/**
 * Whether received G.711 audio carries sound (a prompt, a tone) rather than silence or comfort noise:
 * each 20 ms packet is decoded (G.711 tables 1a/2a) and its RMS level compared with a threshold well
 * above idle-channel noise (about -50 dBm0) and well below speech (about -20 dBm0).
 */
import { decodeG711, type G711Codec } from '../../../src/media/codec/g711';

/** -40 dBm0 as an RMS in 16-bit linear PCM (0 dBm0 sine: peak 22700, RMS about 16050). */
const AUDIBLE_RMS = 160;

export interface HeardAudio {
  packets: number;
  /** packets whose RMS level is above -40 dBm0 */
  audiblePackets: number;
  peakRms: number;
}

export function heardAudio(codec: G711Codec, payloads: readonly Uint8Array[]): HeardAudio {
  let audiblePackets = 0;
  let peakRms = 0;
  for (const payload of payloads) {
    const pcm = decodeG711(codec, payload);
    let sum = 0;
    for (const s of pcm) sum += s * s;
    const rms = pcm.length > 0 ? Math.sqrt(sum / pcm.length) : 0;
    if (rms > AUDIBLE_RMS) audiblePackets++;
    peakRms = Math.max(peakRms, rms);
  }
  return { packets: payloads.length, audiblePackets, peakRms: Math.round(peakRms) };
}
