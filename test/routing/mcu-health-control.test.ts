import { createLogger } from '../../src/log/logger';
import { controlPingUri } from '../../src/routing/control-ping-uri';
import { McuHealth } from '../../src/routing/mcu-health';
import type { SipResponse } from '../../src/sip';

const log = createLogger('silent');
const SELF = 'sip:127.0.0.1:5060';
const MCU = 'sip:127.0.0.1:5999';
const settings = { intervalMs: 5000, timeoutMs: 2000, downAfterFailures: 3, upAfterSuccesses: 2 };

/** A pinger whose answers are switched per URI; an unanswered ping never settles (its timeout decides). */
function switchedPinger(): { answering: Set<string>; request: (uri: string) => Promise<SipResponse> } {
  const answering = new Set([SELF, MCU]);
  return {
    answering,
    request: (uri) =>
      answering.has(uri) ? Promise.resolve({ status: 200 } as SipResponse) : new Promise<SipResponse>(() => undefined),
  };
}

/** Runs `n` whole ping rounds on the fake clock (a round is started by the interval, ended by answers or the timeout). */
async function rounds(n: number): Promise<void> {
  await jest.advanceTimersByTimeAsync(n * settings.intervalMs);
}

/** Starts the pings and steps to the middle of an interval, where no round is in flight (the first was answered). */
async function started(health: McuHealth): Promise<void> {
  health.start(SELF);
  await jest.advanceTimersByTimeAsync(settings.intervalMs / 2);
}

describe('MCU health: failures that are our own', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('a round whose own control ping goes unanswered too does not count against the MCU; with the control answered, it does', async () => {
    const pinger = switchedPinger();
    const changes: boolean[] = [];
    const health = new McuHealth(
      [{ id: 'mcu1', uri: 'sip:{number}@127.0.0.1:5999', capacity: 10, weight: 1 }],
      pinger,
      settings,
      log,
      (_id, up) => changes.push(up),
    );
    await started(health);
    pinger.answering.clear();
    await rounds(5);
    expect(health.isUp('mcu1')).toBe(true);
    pinger.answering.add(SELF);
    await rounds(3);
    expect(health.isUp('mcu1')).toBe(false);
    expect(changes).toEqual([false]);
    await health.stop();
  });

  it('call failures mark an MCU down only while its last ping failed too, and do not hold back its recovery', async () => {
    const pinger = switchedPinger();
    const health = new McuHealth(
      [{ id: 'mcu1', uri: 'sip:{number}@127.0.0.1:5999', capacity: 10, weight: 1 }],
      pinger,
      settings,
      log,
    );
    await started(health);
    // A burst of INVITE timeouts from one overloaded moment, the MCU answering its pings.
    for (let i = 0; i < 10; i++) health.reportFailure('mcu1');
    expect(health.isUp('mcu1')).toBe(true);
    // It stops answering: one failed ping, then the calls' failures count.
    pinger.answering.delete(MCU);
    await rounds(1);
    health.reportFailure('mcu1');
    expect(health.isUp('mcu1')).toBe(true);
    health.reportFailure('mcu1');
    expect(health.isUp('mcu1')).toBe(false);
    // Back: the INVITEs still timing out after its first answer do not reset its up-count.
    pinger.answering.add(MCU);
    await rounds(1);
    health.reportFailure('mcu1');
    await rounds(1);
    expect(health.isUp('mcu1')).toBe(true);
    await health.stop();
  });
});

describe('control ping URI', () => {
  it('is our own listener, on loopback for a wildcard bind, over UDP if we listen there, else TCP', () => {
    expect(controlPingUri('0.0.0.0', { udp: 5060, tcp: 5060 })).toBe('sip:127.0.0.1:5060');
    expect(controlPingUri('::', { tcp: 5070 })).toBe('sip:[::1]:5070;transport=tcp');
    expect(controlPingUri('fd00::1', { udp: 5060 })).toBe('sip:[fd00::1]:5060');
    expect(controlPingUri('10.0.0.1', {})).toBeUndefined();
  });
});
