import type { MailOutcome } from './mail-queue';

export interface RetryPolicy {
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
}

/** Delay before attempt `attempt + 1`: base, 2×base, 4×base, … capped at `maxMs`. */
export function retryDelayMs(attempt: number, policy: RetryPolicy): number {
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
}

/**
 * What to record after attempt number `attempts` failed. A permanent refusal (RFC 5321
 * §4.2.1: a 5yz reply to the envelope or the data) is final at once; any other trouble is
 * retried with exponential backoff until `maxAttempts` attempts have been made.
 */
export function outcomeOfFailure(
  attempts: number,
  error: string,
  permanent: boolean,
  now: number,
  policy: RetryPolicy,
): MailOutcome {
  if (permanent || attempts >= policy.maxAttempts) return { state: 'failed', at: now, error };
  return { state: 'retrying', at: now, error, retryAt: now + retryDelayMs(attempts, policy) };
}
