import { isFull, takeToken, tokensAt, type TokenBucket } from '../../../src/sip/core/token-bucket';

const RATE = { perSecond: 10, burst: 3 };

describe('token bucket', () => {
  it('a bucket never seen is full: the burst passes, the next is refused', () => {
    let bucket: TokenBucket | undefined;
    const taken: boolean[] = [];
    for (let i = 0; i < 4; i++) {
      const out = takeToken(bucket, RATE, 1000);
      bucket = out.bucket;
      taken.push(out.taken);
    }
    expect(taken).toEqual([true, true, true, false]);
    expect(bucket).toEqual({ tokens: 0, at: 1000 });
  });

  it('refills at the rate: one token per 100 ms at 10/s, not before', () => {
    const empty = { tokens: 0, at: 1000 };
    expect(takeToken(empty, RATE, 1099).taken).toBe(false);
    const refilled = takeToken(empty, RATE, 1100);
    expect(refilled.taken).toBe(true);
    expect(refilled.bucket.tokens).toBeCloseTo(0);
  });

  it('a refused take keeps the fraction refilled so far', () => {
    const out = takeToken({ tokens: 0, at: 0 }, RATE, 50);
    expect(out).toEqual({ bucket: { tokens: 0.5, at: 50 }, taken: false });
    expect(takeToken(out.bucket, RATE, 100).taken).toBe(true);
  });

  it('never holds more than the burst, however long the quiet spell', () => {
    expect(tokensAt({ tokens: 0, at: 0 }, RATE, 3_600_000)).toBe(3);
    expect(isFull({ tokens: 0, at: 0 }, RATE, 300)).toBe(true);
    expect(isFull({ tokens: 0, at: 0 }, RATE, 299)).toBe(false);
  });

  it('a clock that steps back refills nothing and takes nothing it does not have', () => {
    expect(tokensAt({ tokens: 0.5, at: 5000 }, RATE, 1000)).toBe(0.5);
    expect(takeToken({ tokens: 0.5, at: 5000 }, RATE, 1000).taken).toBe(false);
  });
});
