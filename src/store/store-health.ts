/** A change of the store's reachability: `up`, when, and for a return the instant the outage began. */
export interface StoreHealthChange {
  up: boolean;
  at: number;
  /** With `up`: when the store was first seen down (the outage this return ends). */
  downSince?: number;
}

/**
 * Whether this instance can reach its store, as the connection and a periodic probe tell it
 * (`redis-health.ts` feeds it). Read on every new call, so a call arriving during an outage is
 * refused at once instead of waiting for a command to time out. Pure: observations and the clock
 * are passed in; listeners hear transitions only, never each observation.
 */
export class StoreHealth {
  private down: number | undefined;
  private readonly listeners = new Set<(change: StoreHealthChange) => void>();

  constructor(private readonly now: () => number = Date.now) {}

  /** True unless the latest observation said the store is unreachable. */
  get up(): boolean {
    return this.down === undefined;
  }

  /** When the current outage began; undefined while the store is up. */
  get downSince(): number | undefined {
    return this.down;
  }

  /** One observation: the store answered (`true`) or did not (`false`). */
  observe(up: boolean): void {
    if (up === this.up) return;
    const at = this.now();
    const downSince = this.down;
    this.down = up ? undefined : at;
    const change: StoreHealthChange = up ? { up, at, downSince } : { up, at };
    for (const listener of this.listeners) listener(change);
  }

  /** Calls `listener` on each transition; returns the function that stops it. */
  onChange(listener: (change: StoreHealthChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
