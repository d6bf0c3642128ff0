/**
 * What this instance knows of its contact with the admission store, to tell a dead instance's
 * lease from one that only looks expired because nobody could reach the store.
 *
 * During an outage no instance can renew, so every lease may run out; when the store answers
 * again, each live instance re-asserts its participants at its next renewal. Until a full lease
 * has passed since contact came back, this instance frees only participants whose lease had ended
 * before it lost contact (those instances were gone before the outage). Pure: the clock is passed in.
 */
export class StoreContact {
  /** Instant of the last store call that succeeded. */
  private lastContact: number | undefined;
  /** Last contact before the current (or just ended) outage: leases ended before it are truly dead. */
  private outageFrom: number | undefined;
  /** When contact came back after the outage. */
  private regainedAt: number | undefined;

  constructor(private readonly leaseMs: number) {}

  succeeded(now: number): void {
    this.lastContact = now;
    if (this.outageFrom !== undefined && this.regainedAt === undefined) this.regainedAt = now;
  }

  /** A store call sent at `sentAt` failed (unreachable, or no answer in time). */
  failed(sentAt: number): void {
    this.outageFrom ??= this.lastContact ?? sentAt;
    this.regainedAt = undefined;
  }

  /** Participants whose lease ended before this instant may be freed: `now`, unless an outage is recent. */
  reapBefore(now: number): number {
    if (this.regainedAt !== undefined && now - this.regainedAt >= this.leaseMs) {
      this.outageFrom = undefined;
      this.regainedAt = undefined;
    }
    return this.outageFrom ?? now;
  }
}
