import { Drain, type DrainedLegs } from '../../src/app/drain';
import { createLogger } from '../../src/log/logger';
import type { LegEnd } from '../../src/routing/live-legs';

/** Live calls that end when told: `endAll()` as the callers' BYEs, `hangUpAll` as confgate's. */
class Calls implements DrainedLegs {
  size: number;
  readonly hungUp: LegEnd[] = [];
  private readonly waiting: Array<() => void> = [];

  constructor(size: number) {
    this.size = size;
  }

  whenEmpty(): Promise<void> {
    return this.size === 0 ? Promise.resolve() : new Promise((resolve) => this.waiting.push(resolve));
  }

  async hangUpAll(cause: LegEnd): Promise<void> {
    this.hungUp.push(cause);
    this.endAll();
  }

  endAll(): void {
    this.size = 0;
    for (const f of this.waiting.splice(0)) f();
  }
}

const settled = async (p: Promise<void>): Promise<boolean> => {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  return done;
};

describe('Drain', () => {
  const log = createLogger('silent');

  it('refuses nothing until it starts, then 503 with Retry-After, and tells once', () => {
    const onStart = jest.fn();
    const drain = new Drain({ drainSeconds: 60, retryAfterSeconds: 30, log, onStart });
    expect(drain.draining).toBe(false);
    expect(drain.refusal()).toBeUndefined();
    void drain.run(new Calls(0));
    void drain.run(new Calls(0));
    expect(drain.draining).toBe(true);
    expect(drain.refusal()).toEqual({ status: 503, reason: 'Service Unavailable', retryAfterSeconds: 30 });
    expect(onStart).toHaveBeenCalledTimes(1);
  });

  it('waits for the live calls to end by themselves, hanging up none', async () => {
    const calls = new Calls(2);
    const drain = new Drain({ drainSeconds: 60, retryAfterSeconds: 30, log });
    const done = drain.run(calls);
    expect(await settled(done)).toBe(false);
    calls.endAll();
    expect(await settled(done)).toBe(true);
    expect(calls.hungUp).toEqual([]);
  });

  it('hangs up the calls still up at the deadline', async () => {
    jest.useFakeTimers();
    try {
      const calls = new Calls(2);
      const done = new Drain({ drainSeconds: 2, retryAfterSeconds: 30, log }).run(calls);
      await jest.advanceTimersByTimeAsync(1999);
      expect(calls.hungUp).toEqual([]);
      await jest.advanceTimersByTimeAsync(1);
      await done;
      expect(calls.hungUp).toEqual(['shutdown']);
    } finally {
      jest.useRealTimers();
    }
  });

  it('cut() ends the drain at once', async () => {
    const calls = new Calls(1);
    const drain = new Drain({ drainSeconds: 3600, retryAfterSeconds: 30, log });
    const done = drain.run(calls);
    drain.cut();
    await done;
    expect(calls.hungUp).toEqual(['shutdown']);
  });

  it('waits for every group (live legs and callers in the IVR) and hangs all up at the deadline', async () => {
    const legs = new Calls(0);
    const ivr = new Calls(1);
    const waiting = new Drain({ drainSeconds: 60, retryAfterSeconds: 30, log });
    const done = waiting.run(legs, ivr);
    expect(await settled(done)).toBe(false);
    // The IVR caller is admitted: it is a live leg now, and the drain goes on waiting for it.
    legs.size = 1;
    ivr.endAll();
    expect(await settled(done)).toBe(false);
    legs.endAll();
    expect(await settled(done)).toBe(true);

    const cut = new Drain({ drainSeconds: 60, retryAfterSeconds: 30, log });
    const [stillLegs, stillIvr] = [new Calls(1), new Calls(2)];
    const ending = cut.run(stillLegs, stillIvr);
    cut.cut();
    await ending;
    expect([stillLegs.hungUp, stillIvr.hungUp]).toEqual([['shutdown'], ['shutdown']]);
  });
});
