import { PacingClock, type PacedStream } from '../../src/media/rtp/pacing-clock';

describe('PacingClock (one timer for all calls)', () => {
  let extra = 0;
  beforeEach(() => {
    jest.useFakeTimers({ now: 0 });
    extra = 0;
  });
  afterEach(() => jest.useRealTimers());

  function recorder(log: string[], name: string): PacedStream & { periods: number[] } {
    const periods: number[] = [];
    return { periods, tick: (p: number) => (periods.push(p), log.push(`${Date.now()}:${name}`)) };
  }

  test('each stream is served once per 20 ms, the calls spread over 4 slots of 5 ms', () => {
    const clock = new PacingClock({ now: () => Date.now() });
    const log: string[] = [];
    const streams = Array.from({ length: 8 }, (_, i) => recorder(log, `s${i}`));
    const detach = streams.map((s) => clock.add(s));
    jest.advanceTimersByTime(100);
    for (const s of streams) expect(s.periods).toEqual([1, 1, 1, 1, 1]);
    // Two streams per slot, slots served in turn every 5 ms: never all eight in one burst.
    const perInstant = new Map<string, number>();
    for (const entry of log) perInstant.set(entry.split(':')[0]!, (perInstant.get(entry.split(':')[0]!) ?? 0) + 1);
    expect(Math.max(...perInstant.values())).toBe(2);
    expect(log.filter((e) => e.endsWith(':s0')).map((e) => Number(e.split(':')[0]))).toEqual([20, 40, 60, 80, 100]);
    expect(clock.tickStartLateness.samples).toBe(20);
    for (const d of detach) d();
    expect(clock.running).toBe(false);
    expect(jest.getTimerCount()).toBe(0);
  });

  test('after a stall it resynchronises and tells streams how many periods passed; a throwing stream harms no other', () => {
    const errors: unknown[] = [];
    const clock = new PacingClock({ now: () => Date.now() + extra, onStreamError: (e) => errors.push(e) });
    const log: string[] = [];
    const good = recorder(log, 'good');
    clock.add({
      tick: () => {
        throw new Error('broken call');
      },
    });
    clock.add(good);
    jest.advanceTimersByTime(40);
    extra = 200; // the event loop was blocked for 200 ms
    jest.advanceTimersByTime(40);
    expect(clock.skippedTicks).toBeGreaterThan(30);
    expect(Math.max(...good.periods)).toBeGreaterThanOrEqual(10);
    expect(errors.length).toBeGreaterThan(2);
    expect(errors[0]).toEqual(new Error('broken call'));
  });

  test('serveIfDue: a busy I/O path serves each due sub-tick before its timer runs, once, and the timer is re-armed from it', () => {
    let now = 0;
    const clock = new PacingClock({ now: () => now });
    const stream = recorder([], 's');
    const detach = clock.add(stream); // slot 0: served at sub-tick 4 (20 ms), 8, ...
    now = 4.9;
    clock.serveIfDue();
    expect(clock.tickStartLateness.samples).toBe(0);
    // The timers are due but the event loop is still reading datagrams: the receive path serves them.
    for (const t of [5.3, 10.3, 15.3, 20.3]) {
      now = t;
      clock.serveIfDue();
      clock.serveIfDue();
      expect(jest.getTimerCount()).toBe(1);
    }
    expect(stream.periods).toEqual([1]);
    expect(clock.tickStartLateness.samples).toBe(4);
    expect(clock.tickStartLateness.max).toBeCloseTo(0.3, 5);
    detach();
    expect(jest.getTimerCount()).toBe(0);
    now = 40.5;
    clock.serveIfDue();
    expect(stream.periods).toEqual([1]);
  });
});
