import { createLogger } from '../../src/log/logger';
import { MemoryCallRecordSink } from '../../src/call-log/call-record';
import { LiveLegs } from '../../src/routing/live-legs';
import { McuHealth } from '../../src/routing/mcu-health';
import { mcuFailureResponse } from '../../src/routing/mcu-failure';
import { type SipResponse, SipError } from '../../src/sip';

const log = createLogger('silent');

describe('live legs', () => {
  it('releases a participant exactly once and writes one call record, whatever ends the call and how often', async () => {
    const released: string[] = [];
    const records = new MemoryCallRecordSink(10);
    const legs = new LiveLegs(async (id) => (released.push(id), true), records, log);
    const leg = legs.open('p1', 'b1', {
      callId: 'c1',
      startedAt: Date.now(),
      source: '127.0.0.1',
      dialled: 'direct',
      verdict: 'admitted',
    });
    const hungUp: string[] = [];
    leg.hangUp = (cause) => {
      hungUp.push(cause);
      leg.end(cause);
    };
    leg.end('caller');
    leg.end('mcu');
    legs.hangUpParticipant('p1', 'kick');
    expect(released).toEqual(['p1']);
    expect(hungUp).toEqual([]);
    expect(legs.size).toBe(0);
    expect(await records.recent(5)).toEqual([
      expect.objectContaining({ callId: 'c1', participantId: 'p1', endedBy: 'caller' }),
    ]);
  });

  it('a hang-up asked for before the call is connected is kept for later; the ring buffer keeps the newest records', async () => {
    const records = new MemoryCallRecordSink(2);
    const legs = new LiveLegs(async () => true, records, log);
    const leg = legs.open('p2', 'b1', {
      callId: 'c2',
      startedAt: 0,
      source: '127.0.0.1',
      dialled: 'ivr',
      verdict: 'admitted',
    });
    expect(legs.hangUpBooking('b1', 'booking-ended')).toBe(1);
    expect(leg.pendingHangUp).toBe('booking-ended');
    for (const id of ['x', 'y', 'z'])
      records.write({
        callId: id,
        startedAt: 0,
        source: 's',
        dialled: 'direct',
        verdict: 'full',
        durationMs: 1,
        endedBy: 'refused',
      });
    expect((await records.recent(5)).map((r) => r.callId)).toEqual(['z', 'y']);
  });
});

describe('MCU failures as the caller hears them', () => {
  it('maps the MCU status: offer problems and busy passed on, the rest 503 with Retry-After; no answer counts against health', () => {
    expect(mcuFailureResponse(new SipError(488, 'Not Acceptable Here', {} as SipResponse), 30)).toMatchObject({
      status: 488,
      mcuUnreachable: false,
    });
    expect(mcuFailureResponse(new SipError(600, 'Busy Everywhere', {} as SipResponse), 30)).toMatchObject({
      status: 486,
    });
    expect(mcuFailureResponse(new SipError(404, 'Not Found', {} as SipResponse), 30)).toEqual({
      status: 503,
      reason: 'MCU Refused (404)',
      headers: { 'Retry-After': '30' },
      mcuUnreachable: false,
    });
    expect(mcuFailureResponse(new SipError(408, 'Request Timeout'), 5)).toMatchObject({
      status: 503,
      reason: 'MCU Unreachable',
      mcuUnreachable: true,
    });
    expect(mcuFailureResponse(new Error('boom'), 5)).toMatchObject({ status: 503, reason: 'MCU Refused (500)' });
  });
});

describe('MCU health', () => {
  it('down after N failed pings in a row, up after M answers in a row (each transition reported once); any final response counts as alive', async () => {
    const changes: Array<[string, boolean]> = [];
    let answer: 'ok' | 'timeout' | 'reject' = 'ok';
    const pinger = {
      request: (): Promise<SipResponse> =>
        answer === 'ok'
          ? Promise.resolve({ status: 404 } as SipResponse)
          : answer === 'reject'
            ? Promise.reject(new SipError(503, 'Service Unavailable'))
            : new Promise<SipResponse>(() => undefined),
    };
    const health = new McuHealth(
      [{ id: 'mcu1', uri: 'sip:{number}@127.0.0.1:5999', capacity: 10, weight: 1 }],
      pinger,
      { intervalMs: 1000, timeoutMs: 20, downAfterFailures: 2, upAfterSuccesses: 2 },
      log,
      (id, up) => changes.push([id, up]),
    );
    await health.pingAll();
    expect(health.isUp('mcu1')).toBe(true);
    answer = 'timeout';
    await health.pingAll();
    expect(health.isUp('mcu1')).toBe(true);
    answer = 'reject';
    await health.pingAll();
    expect(health.isUp('mcu1')).toBe(false);
    answer = 'ok';
    await health.pingAll();
    expect(health.isUp('mcu1')).toBe(false);
    await health.pingAll();
    expect(health.up().map((m) => m.id)).toEqual(['mcu1']);
    expect(changes).toEqual([
      ['mcu1', false],
      ['mcu1', true],
    ]);
    health.report();
    expect(changes[2]).toEqual(['mcu1', true]);
  });
});
