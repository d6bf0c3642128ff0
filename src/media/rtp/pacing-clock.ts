import { LatenessHistogram } from './lateness-histogram';

/** Something the clock drives once per period: a call's outbound audio. */
export interface PacedStream {
  /** @param periods periods elapsed since this stream's last tick: 1, more after a stall the clock skipped. */
  tick(periods: number): void;
}

export interface PacingClockOptions {
  /** The packet time, RFC 3551 §4.2 (20 ms for G.711). */
  periodMs?: number;
  /**
   * The period is cut in this many slots, each stream living in one: the timer fires every
   * period/slots and serves one slot, so each send burst is 1/slots of the calls and packets leave
   * closer to their due time, while every stream is still served exactly once per period.
   */
  slots?: number;
  /** After a stall longer than this many periods the clock resynchronises instead of bursting. */
  maxCatchUpPeriods?: number;
  now?: () => number;
  /** A stream that throws is reported here; the other streams of the tick are still served. */
  onStreamError?: (error: unknown, stream: PacedStream) => void;
}

/**
 * One timer for all calls' outbound RTP. A timer per call would cost one timer callback per call per
 * packet and let the calls drift apart; here the sub-ticks follow the monotonic clock
 * (start + n × period/slots), so a late tick does not push back the next ones, and the timer runs
 * only while a stream is attached.
 *
 * It measures itself: how late each tick started and how late its last stream was served, which
 * bounds the pacing error of every packet sent in that tick.
 */
export class PacingClock {
  readonly periodMs: number;
  private readonly slots: Array<Set<PacedStream>>;
  private readonly slotOf = new Map<PacedStream, number>();
  /** Sub-tick at which each slot was last served, to tell streams how many periods elapsed. */
  private readonly lastServed: number[];
  private readonly subPeriodMs: number;
  private readonly maxCatchUpPeriods: number;
  private readonly now: () => number;
  private readonly onStreamError: (error: unknown, stream: PacedStream) => void;
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private subTicks = 0;
  /** When the next sub-tick is due (ms on `now`'s clock), while the timer is armed. */
  private nextDue = 0;
  private firing = false;
  /** Lateness of each tick's start versus its schedule. */
  readonly tickStartLateness = new LatenessHistogram();
  /** Lateness of the end of each tick, when its last packet was handed to the socket. */
  readonly tickEndLateness = new LatenessHistogram();
  /** Sub-ticks given up because the event loop stalled for more than `maxCatchUpPeriods` periods. */
  skippedTicks = 0;

  constructor(options: PacingClockOptions = {}) {
    this.periodMs = options.periodMs ?? 20;
    const slots = options.slots ?? 4;
    this.slots = Array.from({ length: slots }, () => new Set<PacedStream>());
    this.lastServed = new Array<number>(slots).fill(0);
    this.subPeriodMs = this.periodMs / slots;
    this.maxCatchUpPeriods = options.maxCatchUpPeriods ?? 3;
    this.now = options.now ?? (() => performance.now());
    this.onStreamError = options.onStreamError ?? (() => undefined);
  }

  /** Attaches a stream to the least used slot; returns the function that detaches it. */
  add(stream: PacedStream): () => void {
    if (!this.slotOf.has(stream)) {
      let slot = 0;
      for (let i = 1; i < this.slots.length; i++) if (this.slots[i]!.size < this.slots[slot]!.size) slot = i;
      this.slots[slot]!.add(stream);
      this.slotOf.set(stream, slot);
    }
    if (this.timer === undefined && !this.firing) {
      this.startedAt = this.now();
      this.subTicks = 0;
      this.lastServed.fill(0);
      this.schedule();
    }
    return () => this.remove(stream);
  }

  get size(): number {
    return this.slotOf.size;
  }

  /** Whether the shared timer is armed (it is only while streams are attached). */
  get running(): boolean {
    return this.timer !== undefined || this.firing;
  }

  private remove(stream: PacedStream): void {
    const slot = this.slotOf.get(stream);
    if (slot === undefined) return;
    this.slots[slot]!.delete(stream);
    this.slotOf.delete(stream);
    if (this.slotOf.size === 0 && this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  /**
   * Serves the next sub-tick now if it is due, instead of waiting for the timer. Called by the
   * receive path for every packet: under load the event loop stays in its I/O phase for many
   * milliseconds reading datagrams, and timers (the pacer's included) only run after it; a check
   * here sends the prompts on time in the middle of such a burst. Cheap when not due: one clock read.
   */
  serveIfDue(): void {
    if (this.timer === undefined || this.firing || this.now() < this.nextDue) return;
    clearTimeout(this.timer);
    this.fire();
  }

  private schedule(): void {
    this.nextDue = this.startedAt + (this.subTicks + 1) * this.subPeriodMs;
    this.timer = setTimeout(() => this.fire(), Math.max(0, this.nextDue - this.now()));
  }

  private fire(): void {
    this.timer = undefined;
    this.firing = true;
    this.subTicks++;
    const behind = this.now() - (this.startedAt + this.subTicks * this.subPeriodMs);
    if (behind > this.maxCatchUpPeriods * this.periodMs) {
      // A long stall: bursting the missed packets would not help the listener; resynchronise.
      const missed = Math.floor(behind / this.subPeriodMs);
      this.skippedTicks += missed;
      this.subTicks += missed;
    }
    const due = this.startedAt + this.subTicks * this.subPeriodMs;
    this.tickStartLateness.record(this.now() - due);
    const slot = this.subTicks % this.slots.length;
    const periods = Math.max(1, Math.round((this.subTicks - this.lastServed[slot]!) / this.slots.length));
    this.lastServed[slot] = this.subTicks;
    for (const stream of this.slots[slot]!) {
      try {
        stream.tick(periods);
      } catch (error) {
        // One broken call must not silence the others or crash the process.
        this.onStreamError(error, stream);
      }
    }
    this.firing = false;
    this.tickEndLateness.record(this.now() - due);
    if (this.slotOf.size > 0) this.schedule();
  }
}
