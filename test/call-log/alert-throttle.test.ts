import { AlertThrottle } from '../../src/call-log/alert-throttle';
import { CallEventPublisher } from '../../src/call-log/call-event-publisher';
import { callEventSchema, type CallEvent } from '../../src/call-log/call-events';

describe('AlertThrottle', () => {
  it('lets one alert a minute through per key, counting the hits held back', () => {
    const throttle = new AlertThrottle(60_000);
    const hits = [0, 1, 2, 59_999].map((t) => throttle.hit('invite-rate|127.0.0.2', t));
    expect(hits).toEqual([1, undefined, undefined, undefined]);
    expect(throttle.hit('invite-rate|127.0.0.3', 10)).toBe(1); // another source: its own minute
    expect(throttle.hit('invite-rate|127.0.0.2', 60_000)).toBe(4); // three held back, and this one
    expect(throttle.hit('invite-rate|127.0.0.2', 60_001)).toBeUndefined();
  });

  it('keeps at most maxKeys keys, so spoofed sources cannot grow it', () => {
    const throttle = new AlertThrottle(60_000, 100);
    for (let i = 0; i < 10_000; i++) throttle.hit(`s${i}`, i);
    // The first keys were dropped: they alert again at once; the last ones are still held.
    expect(throttle.hit('s0', 10_000)).toBe(1);
    expect(throttle.hit('s9999', 10_000)).toBeUndefined();
  });
});

describe('CallEventPublisher.overload', () => {
  it('publishes a valid alert event per limit and source at most once a minute', () => {
    const published: CallEvent[] = [];
    let now = 1_700_000_000_000;
    const events = new CallEventPublisher({ publish: (e) => published.push(e) }, 'host-1', () => now);
    for (let i = 0; i < 1000; i++) events.overload('invite-rate', 'source', '127.0.0.2', 20);
    events.overload('invite-total', 'total', 'all', 2000.5);
    now += 60_000;
    events.overload('invite-rate', 'source', '127.0.0.2', 20);
    expect(published).toEqual([
      expect.objectContaining({
        kind: 'alert',
        alert: 'invite-rate',
        scope: 'source',
        subject: '127.0.0.2',
        count: 1,
        limit: 20,
      }),
      expect.objectContaining({ alert: 'invite-total', scope: 'total', subject: 'all', count: 1, limit: 2001 }),
      expect.objectContaining({ alert: 'invite-rate', subject: '127.0.0.2', count: 1000 }),
    ]);
    for (const e of published) expect(callEventSchema.safeParse(e).success).toBe(true);
  });
});
