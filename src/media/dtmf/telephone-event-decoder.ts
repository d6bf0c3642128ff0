import { digitForEventCode, type DtmfDigit } from './dtmf-digit';

/** One named event from an RFC 4733 §2.3 payload. */
export interface TelephoneEvent {
  /** Event code, RFC 4733 §2.3.1 (0-15 are DTMF). */
  code: number;
  /** E (end) bit, RFC 4733 §2.3. */
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

interface EventState {
  code: number;
  /** Longest duration seen, timestamp units. */
  duration: number;
  ended: boolean;
  /** Arrival (ms) of the last packet; for an ended event, of its first end packet. */
  lastSeenMs: number;
}

/**
 * Turns a stream of RFC 4733 telephone-event packets into one digit per key press.
 *
 * RFC 4733 §2.5.1: every packet of one event carries the event's start timestamp, so the
 * timestamp identifies the press. The digit is reported on the first packet seen with a new
 * timestamp, whatever its E bit: that survives the loss of the first packets (a later update or
 * an end packet still carries the timestamp) and the loss of the end packets (the digit was
 * already reported). The last few events are remembered by timestamp, so updates, the end
 * repeats (§2.5.1), duplicates and late reordered packets of an event are dropped, whatever
 * order the timestamps of successive events come in.
 *
 * Two exceptions to "same timestamp, same press":
 * - a packet that restarts an event which ended at least `replayGapMs` ago (no E bit, shorter
 *   duration) is a new press: test tools such as SIPp replay one capture per key, so pressing
 *   8 twice resends the same timestamp;
 * - §2.5.1: an event longer than the 16-bit duration is split into segments whose timestamps
 *   follow on; a new timestamp with the same code that starts where the unfinished previous
 *   segment stopped is a continuation, not a new press.
 */
export class TelephoneEventDecoder {
  private readonly recent = new Map<number, EventState>();
  private latest: number | undefined;
  /** Packets dropped as too short or carrying a non-DTMF event. */
  ignoredPackets = 0;

  constructor(private readonly replayGapMs = 40) {}

  /** Feeds one packet (its RTP timestamp and payload, arrival time in ms); returns the digit when it starts a new press. */
  push(timestamp: number, payload: Uint8Array, atMs = performance.now()): DecodedEventDigit | undefined {
    const event = parseTelephoneEvent(payload);
    const digit = event && digitForEventCode(event.code);
    if (!event || !digit) {
      this.ignoredPackets++;
      return undefined;
    }
    const known = this.recent.get(timestamp);
    if (known && known.code === event.code) {
      const replayed =
        known.ended && !event.end && event.duration < known.duration && atMs - known.lastSeenMs >= this.replayGapMs;
      if (!replayed) {
        if (!known.ended) known.lastSeenMs = atMs;
        known.duration = Math.max(known.duration, event.duration);
        if (event.end && !known.ended) {
          known.ended = true;
          known.lastSeenMs = atMs;
        }
        return undefined;
      }
    }
    const previous = this.latest === undefined ? undefined : this.recent.get(this.latest);
    const continuation =
      !known &&
      previous !== undefined &&
      !previous.ended &&
      previous.code === event.code &&
      (timestamp - this.latest!) >>> 0 <= previous.duration + SEGMENT_SLACK;
    this.remember(timestamp, { code: event.code, duration: event.duration, ended: event.end, lastSeenMs: atMs });
    if (continuation) return undefined;
    return { digit, timestamp, volume: event.volume };
  }

  private remember(timestamp: number, state: EventState): void {
    this.recent.delete(timestamp);
    this.recent.set(timestamp, state);
    this.latest = timestamp;
    if (this.recent.size > REMEMBERED_EVENTS) this.recent.delete(this.recent.keys().next().value!);
  }
}

/** One 20 ms packet of timestamp slack when matching a segment continuation. */
const SEGMENT_SLACK = 160;
/** Events remembered for de-duplication: far more than can overlap in reordering. */
const REMEMBERED_EVENTS = 8;
