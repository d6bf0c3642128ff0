import { planFaults } from '../../bench/soak/fault-plan';
import { heapTrend, type Sample } from '../../bench/soak/report';
import {
  BYE_ANSWERED_TWICE,
  callStartTimes,
  classifyFailures,
  parseSippErrors,
  tallyFailures,
} from '../../bench/soak/sipp-failures';

// SIPp's -trace_err output: an entry quoting a message spans lines, and the next entry follows its closing quote.
const ERRORS = [
  'The following events occurred:',
  "2026-12-07\t23:34:23.195987\t1000.5: Dead call 1-11706@127.0.0.51 (successful), received 'SIP/2.0 200 OK",
  'Call-ID: 1-11706@127.0.0.51',
  '',
  "'2026-12-07\t23:34:24.000000\t1010.0: Aborting call on unexpected message for Call-Id '2001-11706@127.0.0.51': while expecting '180' (index 2), received 'SIP/2.0 503 Admission Unavailable",
  'Retry-After: 5',
  '',
  "'2026-12-07\t23:34:25.000000\t1100.0: Aborting call on UDP retransmission timeout for Call-ID '2500-11706@127.0.0.51'2026-12-07\t23:34:26.000000\t1200.0: Aborting call on unexpected message for Call-Id '3000-11706@127.0.0.51': while expecting '200' (index 9), received 'BYE sip:sipp@127.0.0.51:5060 SIP/2.0",
  "'",
].join('\n');

// Two one-second rows of -trace_stat: 1,000 calls created by t=1001, 3,000 by t=1011.
const STATS = [
  'StartTime;CurrentTime;OutgoingCall(C)',
  '2026-12-07\t23:34:20.0\t1000.0;2026-12-07\t23:34:20.0\t1001.0;1000',
  '2026-12-07\t23:34:20.0\t1000.0;2026-12-07\t23:34:30.0\t1011.0;3000',
].join('\n');

describe('soak call accounting', () => {
  it('reads the aborted calls of a SIPp error log with their cause, and leaves late answers out', () => {
    expect(parseSippErrors(ERRORS)).toEqual([
      { atS: 1010, callNumber: 2001, cause: '503 Admission Unavailable' },
      { atS: 1100, callNumber: 2500, cause: 'no answer (retransmissions exhausted)' },
      { atS: 1200, callNumber: 3000, cause: 'BYE from confgate' },
    ]);
  });

  it('dates a call number between the statistics rows that pass it', () => {
    const startOf = callStartTimes(STATS);
    expect(startOf(500)).toBe(1001);
    expect(startOf(2000)).toBeCloseTo(1006);
    expect(startOf(5000)).toBe(1011);
  });

  it('blames the latest fault a call overlapped, counts a call failed after its 200 as live, and anything else as outside', () => {
    const failures = classifyFailures(parseSippErrors(ERRORS), callStartTimes(STATS), new Set([3000]), [
      { kind: 'mcu-restart', fromS: 1000, toS: 1010 },
      { kind: 'redis-freeze', fromS: 1005, toS: 1010.5 },
    ]);
    expect(failures.map((f) => [f.callNumber, f.attribution, f.connected])).toEqual([
      [2001, 'redis-freeze', false],
      [2500, 'redis-freeze', false],
      [3000, 'outside', true],
    ]);
    expect(tallyFailures(failures)[0]).toEqual({
      attribution: 'redis-freeze',
      phase: 'setup',
      cause: '503 Admission Unavailable',
      count: 1,
    });
  });
});

describe('soak: a call SIPp aborts after its hang-up', () => {
  // Its BYE answered, SIPp got a second 200 (to the BYE it retransmitted) in its closing timewait.
  const late = [
    "2026-12-08\t01:18:54.055864\t1500.0: Aborting call on unexpected message for Call-Id '8428-26156@127.0.0.51': while pausing (index 9), received 'SIP/2.0 200 OK",
    'Call-ID: 8428-26156@127.0.0.51',
    'CSeq: 2 BYE',
    '',
    "'2026-12-08\t01:18:55.000000\t1501.0: Aborting call on unexpected message for Call-Id '8429-26156@127.0.0.51': while pausing (index 9), received 'SIP/2.0 200 OK",
    'Call-ID: 8429-26156@127.0.0.51',
    'CSeq: 1 INVITE',
    '',
    "'",
  ].join('\n');

  it('is complete, neither lost live nor outside; a late 200 to its INVITE is still a failure', () => {
    const failures = classifyFailures(parseSippErrors(late), () => 1490, new Set([8428, 8429]), []);
    expect(failures.map((f) => [f.callNumber, f.cause, f.attribution])).toEqual([
      [8428, BYE_ANSWERED_TWICE, 'complete'],
      [8429, '200 OK', 'outside'],
    ]);
  });
});

describe('soak fault plan', () => {
  it('freezes Redis every 5 minutes of 30 and restarts the MCU between the middle two freezes', () => {
    expect(planFaults({ durationS: 1800, freezeEveryS: 300, freezeSeconds: 15, mcuDownSeconds: 20 })).toEqual([
      { kind: 'redis-freeze', atS: 300, seconds: 15 },
      { kind: 'redis-freeze', atS: 600, seconds: 15 },
      { kind: 'mcu-restart', atS: 750, seconds: 20 },
      { kind: 'redis-freeze', atS: 900, seconds: 15 },
      { kind: 'redis-freeze', atS: 1200, seconds: 15 },
      { kind: 'redis-freeze', atS: 1500, seconds: 15 },
    ]);
  });
});

describe('soak heap trend', () => {
  const sample = (t: number, mib: number): Sample => ({ t, heapUsed: mib * 1024 * 1024, rss: 0, cpuMs: 0, load1: 0 });

  it('reads the floor of the heap: flat when the collections bring it back to one level, growing when the floor climbs', () => {
    // A sawtooth: garbage builds up for a minute and is collected, back to 40 MiB each time.
    const sawtooth = Array.from({ length: 170 }, (_, i) => sample(60 + i * 10, 40 + (i % 6) * 30));
    expect(heapTrend(sawtooth)).toMatchObject({ flat: true, mibPerHour: 0 });
    const climbing = Array.from({ length: 170 }, (_, i) => sample(60 + i * 10, 40 + (i % 6) * 30 + i / 6));
    expect(heapTrend(climbing).flat).toBe(false);
    // 1/6 MiB a 10 s sample: 60 MiB an hour.
    expect(heapTrend(climbing).mibPerHour).toBeCloseTo(60, 0);
  });

  it('gives no verdict on fewer than three windows after the first minute', () => {
    expect(heapTrend([sample(0, 30), sample(70, 40)]).flat).toBe(false);
    expect(heapTrend([sample(0, 30), sample(70, 40)]).mibPerHour).toBeNaN();
  });
});
