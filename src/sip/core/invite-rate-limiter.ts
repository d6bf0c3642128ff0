import { isFull, takeToken, type BucketRate, type TokenBucket } from './token-bucket';

/** The limits on new INVITEs (requests outside a dialog, RFC 3261 §12.1): per source, and in total. */
export interface InviteRateLimits {
  /** Any source address. */
  readonly perSource: BucketRate;
  /**
   * All sources but the trusted ones together, once each passed its own bucket: a flood spread over
   * many (or spoofed) addresses. Trusted gateways are left out, so such a flood cannot refuse the
   * callers they carry; their own rate bounds them. Absent: no total limit.
   */
  readonly total?: BucketRate;
  /** Addresses in {@link InviteRateLimits.trustedSources} (gateways carrying many callers). */
  readonly trusted: BucketRate;
  /** Exact source addresses, lower-case, that get the {@link InviteRateLimits.trusted} rate. */
  readonly trustedSources: ReadonlySet<string>;
  /** Buckets kept at most: spoofed sources cannot grow the table past it. */
  readonly maxSources: number;
  /** The `Retry-After` (seconds) of the 503 a limited INVITE gets (RFC 3261 §21.5.4, §20.33). */
  readonly retryAfterSeconds: number;
}

/** Which limit refused an INVITE: its source's bucket, or the total one. */
export type InviteLimit = 'source' | 'total';

/** What the limiter says of one new INVITE. */
export interface InviteVerdict {
  readonly admitted: boolean;
  readonly trusted: boolean;
  /** Refused while the previous INVITE under the same limit was admitted: the start of a flood, worth one log line. */
  readonly floodStart: boolean;
  /** The limit that refused it (absent when admitted). */
  readonly limit?: InviteLimit;
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
  private total: SourceEntry | undefined;

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
    if (!outcome.taken) return { admitted: false, trusted, floodStart, limit: 'source' };
    return trusted ? { admitted: true, trusted, floodStart: false } : this.admitInTotal(now);
  }

  /** Takes a token from the total bucket, for a source that passed its own. */
  private admitInTotal(now: number): InviteVerdict {
    const rate = this.limits.total;
    if (rate === undefined) return { admitted: true, trusted: false, floodStart: false };
    const outcome = takeToken(this.total?.bucket, rate, now);
    const floodStart = !outcome.taken && !(this.total?.limited ?? false);
    this.total = { bucket: outcome.bucket, limited: !outcome.taken };
    return outcome.taken
      ? { admitted: true, trusted: false, floodStart: false }
      : { admitted: false, trusted: false, floodStart, limit: 'total' };
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
