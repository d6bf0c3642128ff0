/**
 * Digits carried in RTP: RFC 2833 / RFC 4733 telephone events (§2.3: event, end bit, volume, duration;
 * §2.5.1.2: the first packet has the marker bit, the last is sent three times with the E bit) and
 * in-band Q.23 tone pairs encoded as G.711 (G.711 tables 1a/2a) in 20 ms packets. Pure: the payloads
 * and their timestamps; sending and pacing belong to the media socket.
 */
import { encodeG711, SAMPLES_PER_20MS, type G711Codec } from '../../../src/media/codec/g711';
import { DTMF_EVENT_DIGITS, type DtmfDigit } from '../../../src/media/dtmf/dtmf-digit';
import { dtmfSequence } from '../../fixtures/media/dtmf-tones';

/** One RTP payload to send, its timestamp offset (samples from the start of the sequence) and marker bit. */
export interface RtpDigitPacket {
  payload: Uint8Array;
  timestampOffset: number;
  marker: boolean;
  /** when to send it, ms from the start of the sequence */
  atMs: number;
}

const SAMPLES_PER_MS = 8;
/** RFC 4733 §2.5.1.2: event packets every 50 ms while the key is down. */
const EVENT_INTERVAL_MS = 50;
/** Volume 10 means -10 dBm0, a typical key press level. */
const VOLUME = 10;

/** The telephone-event packets of each key of `digits`, `durationMs` long and `gapMs` apart. */
export function telephoneEventPackets(digits: string, durationMs: number, gapMs: number): RtpDigitPacket[] {
  const out: RtpDigitPacket[] = [];
  let startMs = 0;
  for (const key of digits) {
    const code = DTMF_EVENT_DIGITS.indexOf(key.toUpperCase() as DtmfDigit);
    if (code < 0) throw new Error(`not a DTMF key: ${key}`);
    const event = (end: boolean, elapsedMs: number): Uint8Array => {
      const duration = elapsedMs * SAMPLES_PER_MS;
      return Uint8Array.of(code, (end ? 0x80 : 0) | VOLUME, duration >> 8, duration & 0xff);
    };
    // All packets of one event share the start timestamp (RFC 4733 §2.3.5 counts duration from it).
    const timestampOffset = startMs * SAMPLES_PER_MS;
    for (let t = 0; t < durationMs; t += EVENT_INTERVAL_MS)
      out.push({
        payload: event(false, Math.max(t, EVENT_INTERVAL_MS)),
        timestampOffset,
        marker: t === 0,
        atMs: startMs + t,
      });
    for (let i = 0; i < 3; i++)
      out.push({
        payload: event(true, durationMs),
        timestampOffset,
        marker: false,
        atMs: startMs + durationMs + i * 5,
      });
    startMs += durationMs + gapMs;
  }
  return out;
}

/** In-band key presses as G.711 packets of 20 ms, with silence before, between and after. */
export function inbandTonePackets(
  codec: G711Codec,
  digits: string,
  durationMs: number,
  gapMs: number,
): RtpDigitPacket[] {
  const pcm = dtmfSequence(digits, durationMs, gapMs);
  const out: RtpDigitPacket[] = [];
  for (let at = 0; at + SAMPLES_PER_20MS <= pcm.length; at += SAMPLES_PER_20MS)
    out.push({
      payload: encodeG711(codec, pcm.subarray(at, at + SAMPLES_PER_20MS)),
      timestampOffset: at,
      marker: at === 0,
      atMs: at / SAMPLES_PER_MS,
    });
  return out;
}
