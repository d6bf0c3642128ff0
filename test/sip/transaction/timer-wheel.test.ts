import { TimerWheel, type TimerTarget } from '../../../src/sip/timer/timer-wheel';

describe('TimerWheel', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function recorder(): TimerTarget & { fired: Array<[number, number]> } {
    const start = Date.now();
    const fired: Array<[number, number]> = [];
    return { fired, onTimer: (kind) => fired.push([kind, Date.now() - start]) };
  }

  it('fires each timer once, never early, within one tick', () => {
    const wheel = new TimerWheel(10, 16);
    const t = recorder();
    wheel.schedule(t, 1, 25);
    wheel.schedule(t, 2, 500); // longer than one turn of 16 slots × 10 ms
    jest.advanceTimersByTime(1000);
    expect(t.fired.map(([k]) => k)).toEqual([1, 2]);
    expect(t.fired[0]![1]).toBeGreaterThanOrEqual(25);
    expect(t.fired[0]![1]).toBeLessThanOrEqual(40);
    expect(t.fired[1]![1]).toBeGreaterThanOrEqual(500);
    expect(t.fired[1]![1]).toBeLessThanOrEqual(510);
    expect(wheel.size).toBe(0);
  });

  it('cancels, and runs no interval when nothing is armed', () => {
    const wheel = new TimerWheel(10);
    const t = recorder();
    const e = wheel.schedule(t, 1, 50);
    expect(jest.getTimerCount()).toBe(1);
    wheel.cancel(e);
    wheel.cancel(e);
    expect(wheel.size).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(100);
    expect(t.fired).toEqual([]);
  });

  it('keeps firing other timers when one target throws', () => {
    const errors: unknown[] = [];
    const wheel = new TimerWheel(10, 1024, (e) => errors.push(e));
    const t = recorder();
    wheel.schedule(
      {
        onTimer: () => {
          throw new Error('boom');
        },
      },
      1,
      10,
    );
    wheel.schedule(t, 2, 10);
    jest.advanceTimersByTime(20);
    expect(errors).toHaveLength(1);
    expect(t.fired.map(([k]) => k)).toEqual([2]);
  });

  it('catches up after a stall longer than a turn', () => {
    const wheel = new TimerWheel(10, 8);
    const t = recorder();
    wheel.schedule(t, 1, 30);
    wheel.schedule(t, 2, 200);
    jest.setSystemTime(Date.now() + 1000); // the clock jumps, as when the event loop was blocked
    jest.advanceTimersByTime(10);
    expect(t.fired.map(([k]) => k).sort()).toEqual([1, 2]);
  });

  it('dispose disarms everything', () => {
    const wheel = new TimerWheel(10);
    const t = recorder();
    wheel.schedule(t, 1, 10);
    wheel.dispose();
    jest.advanceTimersByTime(100);
    expect(t.fired).toEqual([]);
    expect(jest.getTimerCount()).toBe(0);
  });
});
