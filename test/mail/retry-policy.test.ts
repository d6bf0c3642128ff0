import { outcomeOfFailure, retryDelayMs } from '../../src/mail/retry-policy';

const policy = { maxAttempts: 8, baseMs: 30_000, maxMs: 3_600_000 };

describe('mail retry policy', () => {
  it('doubles the delay after each attempt, up to the ceiling', () => {
    expect([1, 2, 3, 4, 7, 8, 20].map((n) => retryDelayMs(n, policy))).toEqual([
      30_000, 60_000, 120_000, 240_000, 1_920_000, 3_600_000, 3_600_000,
    ]);
  });

  it('retries a transient failure while attempts remain', () => {
    expect(outcomeOfFailure(3, '451 later', false, 1000, policy)).toEqual({
      state: 'retrying',
      at: 1000,
      error: '451 later',
      retryAt: 1000 + 120_000,
    });
  });

  it('fails on the last allowed attempt', () => {
    expect(outcomeOfFailure(8, '451 later', false, 1000, policy)).toEqual({
      state: 'failed',
      at: 1000,
      error: '451 later',
    });
    expect(outcomeOfFailure(7, '451 later', false, 1000, policy).state).toBe('retrying');
  });

  it('fails a permanent refusal on the first attempt', () => {
    expect(outcomeOfFailure(1, '550 no such user', true, 1000, policy)).toEqual({
      state: 'failed',
      at: 1000,
      error: '550 no such user',
    });
  });
});
