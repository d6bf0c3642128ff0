import type { StartTimer } from '../../../src/h323/h245/h245-timer';

/** A hand-driven clock for the H.245 timers: `advance(ms)` fires what fell due. */
export class FakeTimer {
  private now = 0;
  private readonly pending = new Set<{ at: number; expired: () => void }>();

  readonly start: StartTimer = (ms, expired) => {
    const entry = { at: this.now + ms, expired };
    this.pending.add(entry);
    return () => this.pending.delete(entry);
  };

  get armed(): number {
    return this.pending.size;
  }

  advance(ms: number): void {
    this.now += ms;
    for (const entry of [...this.pending].sort((a, b) => a.at - b.at)) {
      if (entry.at > this.now || !this.pending.has(entry)) continue;
      this.pending.delete(entry);
      entry.expired();
    }
  }
}
