import { InviteRateLimiter, type InviteRateLimits } from '../../../src/sip/core/invite-rate-limiter';

function limits(over: Partial<InviteRateLimits> = {}): InviteRateLimits {
  return {
    perSource: { perSecond: 2, burst: 4 },
    trusted: { perSecond: 100, burst: 200 },
    trustedSources: new Set(['127.0.0.9']),
    maxSources: 100,
    retryAfterSeconds: 5,
    ...over,
  };
}

/** A limiter on a clock the test moves. */
function limiterAt(over: Partial<InviteRateLimits> = {}): { limiter: InviteRateLimiter; clock: { now: number } } {
  const clock = { now: 0 };
  return { limiter: new InviteRateLimiter(limits(over), () => clock.now), clock };
}

function admittedOf(limiter: InviteRateLimiter, source: string, count: number): number {
  let n = 0;
  for (let i = 0; i < count; i++) if (limiter.admit(source).admitted) n++;
  return n;
}

describe('per-source INVITE rate limiter', () => {
  it('a total limit over all untrusted sources: a flood spread over many addresses is refused, trusted gateways are not counted', () => {
    const { limiter, clock } = limiterAt({ total: { perSecond: 10, burst: 20 } });
    const verdicts = Array.from({ length: 30 }, (_, i) => limiter.admit(`127.0.1.${i}`));
    expect(verdicts.filter((v) => v.admitted)).toHaveLength(20);
    expect(verdicts[20]).toMatchObject({ admitted: false, limit: 'total', floodStart: true });
    expect(verdicts[21]).toMatchObject({ admitted: false, limit: 'total', floodStart: false });
    expect(admittedOf(limiter, '127.0.0.9', 50)).toBe(50); // a trusted gateway has its own rate only
    expect(limiter.admit('127.0.2.1')).toMatchObject({ admitted: false, limit: 'total' });
    clock.now = 1000; // ten tokens back
    expect(admittedOf(limiter, '127.0.2.2', 3) + admittedOf(limiter, '127.0.2.3', 3)).toBe(6);
    // INVITEs a source's own bucket refuses take nothing from the total.
    clock.now = 2000; // the total holds 4 + 10
    expect(admittedOf(limiter, '127.0.3.1', 30)).toBe(4);
    expect(admittedOf(limiter, '127.0.3.2', 4)).toBe(4);
    expect(admittedOf(limiter, '127.0.3.3', 4)).toBe(4);
    expect(admittedOf(limiter, '127.0.3.4', 4)).toBe(2);
  });

  it('admits the burst, then the rate, per source; another source is not affected', () => {
    const { limiter, clock } = limiterAt();
    expect(admittedOf(limiter, '127.0.0.2', 100)).toBe(4);
    expect(limiter.admit('127.0.0.3').admitted).toBe(true);
    clock.now = 1000;
    expect(admittedOf(limiter, '127.0.0.2', 100)).toBe(2);
  });

  it('says when a flood starts, once per episode', () => {
    const { limiter, clock } = limiterAt();
    const starts = Array.from({ length: 8 }, () => limiter.admit('127.0.0.2').floodStart);
    expect(starts).toEqual([false, false, false, false, true, false, false, false]);
    clock.now = 500; // one token back: admitted, so the next refusal starts a new episode
    expect(limiter.admit('127.0.0.2')).toMatchObject({ admitted: true, floodStart: false });
    expect(limiter.admit('127.0.0.2')).toMatchObject({ admitted: false, floodStart: true });
  });

  it('gives trusted gateways their own, higher rate', () => {
    const { limiter } = limiterAt();
    expect(admittedOf(limiter, '127.0.0.9', 300)).toBe(200);
    expect(limiter.admit('127.0.0.9')).toMatchObject({ admitted: false, trusted: true });
    expect(limiter.admit('127.0.0.2').trusted).toBe(false);
  });

  it('keeps at most maxSources buckets under spoofed sources, dropping the least recently seen', () => {
    const { limiter } = limiterAt({ maxSources: 100 });
    admittedOf(limiter, '10.0.0.1', 10); // drained, then 1,000 other sources in the same millisecond
    for (let i = 0; i < 1000; i++) limiter.admit(`10.1.${i >> 8}.${i & 255}`);
    expect(limiter.size).toBe(100);
    // Its bucket was dropped: the source starts again with a full one (what a new source gets).
    expect(admittedOf(limiter, '10.0.0.1', 10)).toBe(4);
  });

  it('forgets idle sources as traffic goes on, so the table shrinks back', () => {
    const { limiter, clock } = limiterAt({ maxSources: 10_000 });
    for (let i = 0; i < 500; i++) limiter.admit(`10.1.${i >> 8}.${i & 255}`);
    expect(limiter.size).toBe(500);
    clock.now = 10_000; // every bucket has refilled: idle
    for (let i = 0; i < 300; i++) limiter.admit('127.0.0.3');
    expect(limiter.size).toBe(1);
  });

  it('keeps a busy source whose bucket is not full', () => {
    const { limiter, clock } = limiterAt();
    admittedOf(limiter, '127.0.0.2', 10);
    clock.now = 100;
    limiter.admit('127.0.0.3');
    limiter.admit('127.0.0.3');
    expect(limiter.size).toBe(2);
    expect(limiter.admit('127.0.0.2').admitted).toBe(false);
  });
});
