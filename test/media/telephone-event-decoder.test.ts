import { TelephoneEventDecoder, parseTelephoneEvent } from '../../src/media/dtmf/telephone-event-decoder';

/** Builds the packets a conforming RFC 4733 sender emits for one key press (§2.5.1): updates every 20 ms, then three end packets. */
function pressPackets(
  code: number,
  timestamp: number,
  durationMs = 100,
  volume = 10,
): Array<{ ts: number; payload: Uint8Array }> {
  const packets: Array<{ ts: number; payload: Uint8Array }> = [];
  const total = durationMs * 8;
  for (let d = 160; d < total; d += 160) packets.push({ ts: timestamp, payload: event(code, false, volume, d) });
  for (let i = 0; i < 3; i++) packets.push({ ts: timestamp, payload: event(code, true, volume, total) });
  return packets;
}

function event(code: number, end: boolean, volume: number, duration: number): Uint8Array {
  return Uint8Array.of(code, (end ? 0x80 : 0) | volume, duration >> 8, duration & 0xff);
}

function decode(packets: Array<{ ts: number; payload: Uint8Array }>): string {
  const decoder = new TelephoneEventDecoder();
  return packets.map((p) => decoder.push(p.ts, p.payload)?.digit ?? '').join('');
}

/** The key presses of `digits`, 200 ms apart on the RTP clock, starting near the 32-bit wrap. */
function presses(digits: string, start = 0xffffff00): Array<Array<{ ts: number; payload: Uint8Array }>> {
  const codes: Record<string, number> = { '*': 10, '#': 11, A: 12, B: 13, C: 14, D: 15 };
  return [...digits].map((d, i) => pressPackets(codes[d] ?? Number(d), (start + i * 1600) >>> 0));
}

describe('RFC 4733 telephone-event decoder', () => {
  test('parses event, end bit, volume and duration (RFC 4733 §2.3)', () => {
    expect(parseTelephoneEvent(Uint8Array.of(11, 0x80 | 0x0a, 0x03, 0x20))).toEqual({
      code: 11,
      end: true,
      volume: 10,
      duration: 800,
    });
    expect(parseTelephoneEvent(Uint8Array.of(1, 2, 3))).toBeUndefined();
  });

  test('one digit per press, end repeats ignored, across timestamp wrap-around', () => {
    expect(decode(presses('5387#8688#').flat())).toBe('5387#8688#');
  });

  test('the same key pressed twice is two digits (timestamps differ)', () => {
    expect(decode(presses('88').flat())).toBe('88');
  });

  test('survives the loss of the first packets of every event', () => {
    expect(decode(presses('5387#').flatMap((p) => p.slice(3)))).toBe('5387#');
  });

  test('survives the loss of all end packets, and of everything but one end packet', () => {
    expect(decode(presses('5387#').flatMap((p) => p.slice(0, -3)))).toBe('5387#');
    expect(decode(presses('5387#').flatMap((p) => p.slice(-1)))).toBe('5387#');
  });

  test('duplicated packets are reported once', () => {
    expect(decode(presses('8688#').flatMap((p) => p.flatMap((x) => [x, x])))).toBe('8688#');
  });

  test('reordering inside an event and a stray late packet of an old event do not duplicate or reorder digits', () => {
    const [a, b] = presses('53');
    const shuffled = [a![2]!, a![0]!, a![1]!, ...a!.slice(3), b![1]!, a![0]!, b![0]!, ...b!.slice(2)];
    expect(decode(shuffled)).toBe('53');
  });

  test('events whose timestamps go backwards (separately recorded captures) are each reported', () => {
    const packets = [...pressPackets(5, 43200), ...pressPackets(3, 31040), ...pressPackets(8, 60800)];
    expect(decode(packets)).toBe('538');
  });

  test('a capture replayed for a repeated key (same timestamp again after its end) is a new press, end repeats are not', () => {
    const decoder = new TelephoneEventDecoder();
    let now = 0;
    const play = (code: number, ts: number): string =>
      pressPackets(code, ts)
        .map((p) => decoder.push(p.ts, p.payload, (now += 20))?.digit ?? '')
        .join('');
    expect(play(8, 60800) + play(6, 48800) + play(8, 60800) + play(8, 60800)).toBe('8688');
    // An end repeat or a reordered update arriving right after the end is not a replay.
    const again = pressPackets(4, 9000);
    expect(again.map((p) => decoder.push(p.ts, p.payload, now)?.digit ?? '').join('')).toBe('4');
    expect(decoder.push(9000, again[0]!.payload, now + 5)).toBeUndefined();
  });

  test('a long event split in segments (RFC 4733 §2.5.1) is one digit', () => {
    const first = 1000;
    const packets = [
      { ts: first, payload: event(5, false, 10, 65000) },
      { ts: first, payload: event(5, false, 10, 65535) },
      { ts: first + 65535, payload: event(5, false, 10, 160) },
      { ts: first + 65535, payload: event(5, true, 10, 800) },
    ];
    expect(decode(packets)).toBe('5');
  });

  test('non-DTMF events and short payloads are ignored and counted', () => {
    const decoder = new TelephoneEventDecoder();
    expect(decoder.push(100, event(16, false, 10, 160))).toBeUndefined(); // flash
    expect(decoder.push(200, Uint8Array.of(1))).toBeUndefined();
    expect(decoder.ignoredPackets).toBe(2);
    expect(decoder.push(300, event(0, false, 10, 160))?.digit).toBe('0');
  });
});
