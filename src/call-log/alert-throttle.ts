/**
 * At most one alert per key (a limit and the source it refused) per interval, so a flood raises
 * one live alert a minute instead of one per refused request. It counts what it held back, so the
 * next alert within reach says how many times the limit was hit meanwhile. Keys whose interval has
 * passed are forgotten (two looked at per call), and at most `maxKeys` are kept: spoofed sources
 * cannot grow it. The clock is passed in (ms).
 */
export class AlertThrottle {
  /** Key → when its last alert went out, and the hits since (insertion order: oldest alert first). */
  private readonly keys = new Map<string, { at: number; hits: number }>();

  constructor(
    private readonly intervalMs: number,
    private readonly maxKeys = 10_000,
  ) {}

  /** Notes one hit of `key` at `now`: the hits to report (this one included) when an alert is due, else undefined. */
  hit(key: string, now: number): number | undefined {
    const entry = this.keys.get(key);
    if (entry && now - entry.at < this.intervalMs) {
      entry.hits += 1;
      return undefined;
    }
    this.forgetQuiet(now);
    const hits = (entry?.hits ?? 0) + 1;
    this.keys.delete(key);
    this.keys.set(key, { at: now, hits: 0 });
    if (this.keys.size > this.maxKeys) this.keys.delete(this.keys.keys().next().value!);
    return hits;
  }

  private forgetQuiet(now: number): void {
    for (let i = 0; i < 2; i++) {
      const oldest = this.keys.entries().next().value;
      if (oldest === undefined || now - oldest[1].at < this.intervalMs) return;
      this.keys.delete(oldest[0]);
    }
  }
}
