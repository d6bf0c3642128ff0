/**
 * Something that owns timers on the wheel. The wheel calls `onTimer(kind)` instead of a closure, so
 * a lingering SIP transaction costs one small entry per armed timer and no captured scope.
 */
export interface TimerTarget {
  onTimer(kind: number): void;
}

/** One armed timer; keep it to cancel it. */
export class TimerEntry {
  /** The slot set holding the entry while armed; null once fired or cancelled. */
  slot: Set<TimerEntry> | null = null;
  constructor(
    readonly target: TimerTarget,
    readonly kind: number,
    readonly due: number,
  ) {}
}

/**
 * A hashed timer wheel driven by ONE shared interval for every SIP timer of the process (transaction
 * timers A–M of RFC 3261 §17 / RFC 6026, 2xx retransmission of §13.3.1.4, session timers of RFC 4028).
 *
 * A per-timer `setTimeout` costs a libuv handle and a closure for each of tens of thousands of
 * lingering transactions; here arming and cancelling are O(1) Set operations and the interval runs
 * only while something is armed (and is unref'd, so it never holds the process open).
 * Time is read from `Date.now()` at each tick, so event-loop lag delays timers but never loses them.
 */
export class TimerWheel {
  private readonly slots: Array<Set<TimerEntry>>;
  private readonly epoch: number;
  private lastTick: number;
  private armed = 0;
  private interval: NodeJS.Timeout | null = null;

  /**
   * @param resolutionMs tick length; timers fire up to one tick late, never early
   * @param slotCount slots in one turn; a timer longer than a turn is revisited once per turn
   * @param onError told when a target throws from `onTimer`
   */
  constructor(
    private readonly resolutionMs = 10,
    slotCount = 1024,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {
    this.slots = Array.from({ length: slotCount }, () => new Set<TimerEntry>());
    this.epoch = Date.now();
    this.lastTick = 0;
  }

  /** Number of armed timers (for tests and the memory benchmark). */
  get size(): number {
    return this.armed;
  }

  /** Arms a timer that calls `target.onTimer(kind)` after at least `delayMs`. */
  schedule(target: TimerTarget, kind: number, delayMs: number): TimerEntry {
    const now = this.currentTick();
    if (this.armed === 0) this.lastTick = now;
    const ticks = Math.max(1, Math.ceil(delayMs / this.resolutionMs));
    const due = now + ticks;
    const entry = new TimerEntry(target, kind, due);
    const slot = this.slots[due % this.slots.length]!;
    slot.add(entry);
    entry.slot = slot;
    this.armed++;
    this.start();
    return entry;
  }

  /** Disarms a timer; harmless on one that already fired or was cancelled. */
  cancel(entry: TimerEntry | null | undefined): void {
    if (!entry?.slot) return;
    entry.slot.delete(entry);
    entry.slot = null;
    this.armed--;
    if (this.armed === 0) this.stop();
  }

  /** Disarms everything and stops the interval. */
  dispose(): void {
    for (const slot of this.slots) {
      for (const entry of slot) entry.slot = null;
      slot.clear();
    }
    this.armed = 0;
    this.stop();
  }

  private currentTick(): number {
    return Math.floor((Date.now() - this.epoch) / this.resolutionMs);
  }

  private start(): void {
    if (this.interval) return;
    this.interval = setInterval(() => this.advance(), this.resolutionMs);
    this.interval.unref();
  }

  private stop(): void {
    if (!this.interval) return;
    clearInterval(this.interval);
    this.interval = null;
  }

  /** Fires every entry due up to now, slot by slot, so a late tick catches up in order. */
  private advance(): void {
    const now = this.currentTick();
    const n = this.slots.length;
    // After a stall longer than a turn, visiting each slot once is enough.
    const from = Math.max(this.lastTick + 1, now - n + 1);
    for (let tick = from; tick <= now; tick++) {
      const slot = this.slots[tick % n]!;
      if (slot.size === 0) continue;
      for (const entry of slot) {
        if (entry.due > now) continue;
        slot.delete(entry);
        entry.slot = null;
        this.armed--;
        try {
          entry.target.onTimer(entry.kind);
        } catch (err) {
          // One faulty owner must not stop every other timer of the process.
          this.onError(err);
        }
      }
    }
    this.lastTick = now;
    if (this.armed === 0) this.stop();
  }
}
