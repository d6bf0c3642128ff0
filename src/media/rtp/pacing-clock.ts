import { LatenessHistogram } from './lateness-histogram';

/** Something the clock drives every period: a call's outbound audio. */
export interface PacedStream {
  tick(): void;
}

/**
 * One timer for all calls' outbound RTP: every 20 ms (the packet time, RFC 3551 §4.2) it asks each
 * stream for its next packet. A timer per call would cost one timer callback per call per packet
 * and let the calls drift apart; here the ticks follow the monotonic clock (start + n × period), so
 * a late tick does not push back the next ones, and the timer runs only while a stream is attached.
 *
 * It measures itself: how late each tick started and how late the last stream of the tick was
 * served, which bounds the pacing jitter of every packet sent in that tick.
 */
export class PacingClock {
  private readonly streams = new Set<PacedStream>();
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private ticks = 0;
  private firing = false;
  /** Lateness of each tick's start versus its schedule. */
  readonly tickStartLateness = new LatenessHistogram();
  /** Lateness of the end of each tick, when its last packet was handed to the socket. */
  readonly tickEndLateness = new LatenessHistogram();
  /** Ticks given up because the event loop was stalled for more than `maxCatchUpTicks` periods. */
  skippedTicks = 0;

  constructor(
    readonly periodMs = 20,
    private readonly maxCatchUpTicks = 3,
    private readonly now: () => number = () => performance.now(),
    private readonly onStreamError: (error: unknown, stream: PacedStream) => void = () => undefined,
  ) {}

  /** Attaches a stream; returns the function that detaches it. */
  add(stream: PacedStream): () => void {
    this.streams.add(stream);
    if (this.timer === undefined && !this.firing) {
      this.startedAt = this.now();
      this.ticks = 0;
      this.schedule();
    }
    return () => this.remove(stream);
  }

  get size(): number {
    return this.streams.size;
  }

  /** Whether the shared timer is armed (it is only while streams are attached). */
  get running(): boolean {
    return this.timer !== undefined || this.firing;
  }

  private remove(stream: PacedStream): void {
    this.streams.delete(stream);
    if (this.streams.size === 0 && this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private schedule(): void {
    const due = this.startedAt + (this.ticks + 1) * this.periodMs;
    this.timer = setTimeout(() => this.fire(), Math.max(0, due - this.now()));
  }

  private fire(): void {
    this.timer = undefined;
    this.firing = true;
    this.ticks++;
    const due = this.startedAt + this.ticks * this.periodMs;
    const behind = this.now() - due;
    if (behind > this.maxCatchUpTicks * this.periodMs) {
      // A long stall: sending the missed packets in a burst would not help the listener; resynchronise.
      const missed = Math.floor(behind / this.periodMs);
      this.skippedTicks += missed;
      this.ticks += missed;
    }
    this.tickStartLateness.record(this.now() - (this.startedAt + this.ticks * this.periodMs));
    for (const stream of this.streams) {
      try {
        stream.tick();
      } catch (error) {
        // One broken call must not silence the others or crash the process.
        this.onStreamError(error, stream);
      }
    }
    this.firing = false;
    this.tickEndLateness.record(this.now() - (this.startedAt + this.ticks * this.periodMs));
    if (this.streams.size > 0) this.schedule();
  }
}
