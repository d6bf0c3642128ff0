import { isNewerTimestamp } from '../rtp/rtp-packet';
import { digitForEventCode, type DtmfDigit } from './dtmf-digit';

/** One named event from an RFC 4733 §2.3 payload. */
export interface TelephoneEvent {
  /** Event code, RFC 4733 §2.3.1 (0-15 are DTMF). */
  code: number;
  /** E bit, RFC 4733 §2.3.3. */
  end: boolean;
  /** Power level in -dBm0, 0..63, RFC 4733 §2.3.4. */
  volume: number;
  /** Duration so far in timestamp units, RFC 4733 §2.3.5. */
  duration: number;
}

/** Parses the first 4-octet event of a telephone-event payload; undefined if shorter. */
export function parseTelephoneEvent(payload: Uint8Array): TelephoneEvent | undefined {
  if (payload.length < 4) return undefined;
  return {
    code: payload[0]!,
    end: (payload[1]! & 0x80) !== 0,
    volume: payload[1]! & 0x3f,
    duration: (payload[2]! << 8) | payload[3]!,
  };
}

/** A key press decoded from RFC 4733 events. */
export interface DecodedEventDigit {
  digit: DtmfDigit;
  /** RTP timestamp of the event (its start), which identifies it. */
  timestamp: number;
  volume: number;
}

/**
 * Turns a stream of RFC 4733 telephone-event packets into one digit per key press.
 *
 * RFC 4733 §2.5.1.2: every packet of one event carries the event's start timestamp, so the
 * timestamp identifies the press. The digit is reported on the first packet seen with a new
 * timestamp, whatever its E bit: that survives the loss of the first packets (a later update
 * or an end packet still carries the timestamp) and the loss of the end packets (the digit was
 * already reported). Updates, the three end repeats (§2.5.1.4) and duplicates of a reported
 * timestamp are dropped, as are packets older than the last reported event (reordering), so
 * digits come out once and in order.
 *
 * §2.5.1.3: an event longer than the 16-bit duration is split into segments whose timestamps
 * follow on; a new timestamp with the same code that starts where the unfinished previous
 * segment stopped is a continuation, not a new press.
 */
export class TelephoneEventDecoder {
  private last: { timestamp: number; code: number; duration: number; ended: boolean } | undefined;
  /** Packets dropped as too short or carrying a non-DTMF event. */
  ignoredPackets = 0;

  /** Feeds one packet (its RTP timestamp and payload); returns the digit when it starts a new press. */
  push(timestamp: number, payload: Uint8Array): DecodedEventDigit | undefined {
    const event = parseTelephoneEvent(payload);
    const digit = event && digitForEventCode(event.code);
    if (!event || !digit) {
      this.ignoredPackets++;
      return undefined;
    }
    const last = this.last;
    if (last && !isNewerTimestamp(timestamp, last.timestamp)) {
      if (timestamp === last.timestamp) {
        last.duration = Math.max(last.duration, event.duration);
        last.ended ||= event.end;
      }
      return undefined;
    }
    const continuation =
      last !== undefined && !last.ended && last.code === event.code && ((timestamp - last.timestamp) >>> 0) <= last.duration + SEGMENT_SLACK;
    this.last = { timestamp, code: event.code, duration: event.duration, ended: event.end };
    if (continuation) return undefined;
    return { digit, timestamp, volume: event.volume };
  }
}

/** One 20 ms packet of timestamp slack when matching a segment continuation. */
const SEGMENT_SLACK = 160;
