/**
 * Counts delays in 0.1 ms buckets up to a ceiling, for percentiles of packet pacing without
 * keeping every sample (the pacer records one value per tick for hours).
 */
export class LatenessHistogram {
  private readonly buckets: Uint32Array;
  private count = 0;
  private maxMs = 0;

  constructor(ceilingMs = 1000) {
    this.buckets = new Uint32Array(ceilingMs * 10 + 1);
  }

  record(ms: number): void {
    const clamped = Math.max(0, ms);
    this.buckets[Math.min(this.buckets.length - 1, Math.round(clamped * 10))]!++;
    this.count++;
    if (clamped > this.maxMs) this.maxMs = clamped;
  }

  /** The delay under which `fraction` (0..1) of the samples fall, in ms; 0 when empty. */
  percentile(fraction: number): number {
    const target = Math.ceil(fraction * this.count);
    let seen = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i]!;
      if (seen >= target && seen > 0) return i / 10;
    }
    return 0;
  }

  get samples(): number {
    return this.count;
  }

  get max(): number {
    return this.maxMs;
  }

  reset(): void {
    this.buckets.fill(0);
    this.count = 0;
    this.maxMs = 0;
  }
}
