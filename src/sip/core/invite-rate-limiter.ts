import { isFull, takeToken, type BucketRate, type TokenBucket } from './token-bucket';

/** The per-source limit on new INVITEs (requests outside a dialog, RFC 3261 §12.1). */
export interface InviteRateLimits {
  /** Any source address. */
  readonly perSource: BucketRate;
  /** Addresses in {@link InviteRateLimits.trustedSources} (gateways carrying many callers). */
  readonly trusted: BucketRate;
  /** Exact source addresses, lower-case, that get the {@link InviteRateLimits.trusted} rate. */
  readonly trustedSources: ReadonlySet<string>;
  /** Buckets kept at most: spoofed sources cannot grow the table past it. */
  readonly maxSources: number;
  /** The `Retry-After` (seconds) of the 503 a limited INVITE gets (RFC 3261 §21.5.4, §20.33). */
  readonly retryAfterSeconds: number;
}

/** What the limiter says of one new INVITE. */
export interface InviteVerdict {
  readonly admitted: boolean;
  readonly trusted: boolean;
  /** Refused while the previous INVITE from this source was admitted: the start of a flood, worth one log line. */
  readonly floodStart: boolean;
}

interface SourceEntry {
  bucket: TokenBucket;
  limited: boolean;
}

/** Idle buckets looked at per call: enough to drain the table over time, bounded work per INVITE. */
const IDLE_CHECKS = 2;

/**
 * One token bucket per source address, for new INVITEs. The table is kept in least-recently-used
 * order; a bucket refilled to its burst is dropped (it means what an absent one does), and past
 * `maxSources` the least recently used goes, so memory stays bounded under spoofed sources while the
 * work per INVITE stays constant. The clock is passed in (milliseconds), so tests drive it.
 */
export class InviteRateLimiter {
  private readonly entries = new Map<string, SourceEntry>();

  constructor(
    readonly limits: InviteRateLimits,
    private readonly now: () => number,
  ) {}

  /** Buckets held now. */
  get size(): number {
    return this.entries.size;
  }

  /** Takes a token for a new INVITE from `source` (an IP address as the transport saw it). */
  admit(source: string): InviteVerdict {
    const now = this.now();
    const trusted = this.limits.trustedSources.has(source);
    const entry = this.entries.get(source);
    const outcome = takeToken(entry?.bucket, this.rateOf(trusted), now);
    const floodStart = !outcome.taken && !(entry?.limited ?? false);
    if (entry) this.entries.delete(source); // re-inserted last: most recently used
    this.dropIdle(now);
    this.entries.set(source, { bucket: outcome.bucket, limited: !outcome.taken });
    this.dropOverflow();
    return { admitted: outcome.taken, trusted, floodStart };
  }

  private rateOf(trusted: boolean): BucketRate {
    return trusted ? this.limits.trusted : this.limits.perSource;
  }

  private dropIdle(now: number): void {
    for (let i = 0; i < IDLE_CHECKS; i++) {
      const oldest = this.entries.entries().next().value;
      if (oldest === undefined) return;
      const [source, entry] = oldest;
      if (!isFull(entry.bucket, this.rateOf(this.limits.trustedSources.has(source)), now)) return;
      this.entries.delete(source);
    }
  }

  private dropOverflow(): void {
    while (this.entries.size > this.limits.maxSources) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) return;
      this.entries.delete(oldest);
    }
  }
}
