/** How fast a token bucket refills and how many tokens it holds at most. */
export interface BucketRate {
  /** Tokens added per second. */
  readonly perSecond: number;
  /** The bucket's size: how many requests may come at once after a quiet spell. */
  readonly burst: number;
}

/** A token bucket's state: the tokens it held at time `at` (ms). A bucket never seen is full. */
export interface TokenBucket {
  readonly tokens: number;
  readonly at: number;
}

/** The bucket after {@link takeToken}, and whether a token was taken. */
export interface TakeOutcome {
  readonly bucket: TokenBucket;
  readonly taken: boolean;
}

/** The tokens a bucket holds at `now`: refilled for the time since `at`, never above the burst. */
export function tokensAt(bucket: TokenBucket | undefined, rate: BucketRate, now: number): number {
  if (bucket === undefined) return rate.burst;
  // A clock that stepped back refills nothing rather than draining the bucket.
  const elapsedMs = Math.max(0, now - bucket.at);
  return Math.min(rate.burst, bucket.tokens + (elapsedMs * rate.perSecond) / 1000);
}

/** Refills the bucket up to `now` and takes one token if a whole one is there. */
export function takeToken(bucket: TokenBucket | undefined, rate: BucketRate, now: number): TakeOutcome {
  const tokens = tokensAt(bucket, rate, now);
  if (tokens >= 1) return { bucket: { tokens: tokens - 1, at: now }, taken: true };
  return { bucket: { tokens, at: now }, taken: false };
}

/** Whether the bucket has refilled to its burst by `now`: it then says nothing an absent bucket would not. */
export function isFull(bucket: TokenBucket, rate: BucketRate, now: number): boolean {
  return tokensAt(bucket, rate, now) >= rate.burst;
}
