import { Invite2xxRetransmission } from '../../../src/sip/dialog/invite-2xx-retransmission';
import { TimerWheel } from '../../../src/sip/timer/timer-wheel';
import { DEFAULT_TRANSACTION_TIMERS } from '../../../src/sip/transaction/transaction-timers';
import { RecordingChannel, sendTimes } from '../transaction/transaction-harness';

/** RFC 3261 §13.3.1.4: 2xx re-sent at T1, 2T1 ... capped at T2 until the ACK; given up at 64*T1. */
describe('Invite2xxRetransmission', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('re-sends at 500, 1500, 3500, 7500, then every 4 s, and gives up at 32 s', () => {
    const wheel = new TimerWheel(10);
    const channel = new RecordingChannel(false);
    const timedOut: string[] = [];
    const w = new Invite2xxRetransmission('c|t|1', wheel, DEFAULT_TRANSACTION_TIMERS, channel, Buffer.from('200'), {
      ackTimedOut: (x) => timedOut.push(x.key),
    });
    w.start();
    const times = sendTimes(channel, 32100);
    expect(times.slice(0, 6)).toEqual([500, 1500, 3500, 7500, 11500, 15500]);
    expect(timedOut).toEqual(['c|t|1']);
    expect(wheel.size).toBe(0);
  });

  it('stops at the ACK; on a reliable transport only the give-up timer runs', () => {
    const wheel = new TimerWheel(10);
    const udp = new RecordingChannel(false);
    const w = new Invite2xxRetransmission('k', wheel, DEFAULT_TRANSACTION_TIMERS, udp, Buffer.from('200'), {
      ackTimedOut: () => undefined,
    });
    w.start();
    jest.advanceTimersByTime(600);
    w.stop();
    jest.advanceTimersByTime(40000);
    expect(udp.sent).toEqual(['200']);
    const tcp = new RecordingChannel(true);
    const timedOut: number[] = [];
    new Invite2xxRetransmission('k2', wheel, DEFAULT_TRANSACTION_TIMERS, tcp, Buffer.from('200'), {
      ackTimedOut: () => timedOut.push(1),
    }).start();
    jest.advanceTimersByTime(32010);
    expect(tcp.sent).toEqual([]);
    expect(timedOut).toEqual([1]);
  });
});
