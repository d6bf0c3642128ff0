/**
 * Hands out RTP ports from a configured range: even numbers only, each with the odd port above it
 * for RTCP (RFC 3550 §11). Ports are handed out round-robin so a port just released is reused as
 * late as possible, and late packets of an ended call do not reach the next one.
 */
export class RtpPortAllocator {
  private readonly used = new Set<number>();
  private next: number;

  /**
   * @param min lowest RTP port (rounded up to even)
   * @param max highest port of the range; the last pair is the one whose RTCP port is <= max
   */
  constructor(
    readonly min: number,
    readonly max: number,
  ) {
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1024 || max > 65535)
      throw new RangeError(`RTP port range ${min}-${max} must lie within 1024-65535`);
    this.min = min + (min % 2);
    if (this.min + 1 > max) throw new RangeError(`RTP port range ${min}-${max} holds no even/odd pair`);
    this.next = this.min;
  }

  /** How many RTP/RTCP pairs the range holds. */
  get capacity(): number {
    return Math.floor((this.max - this.min + 1) / 2);
  }

  get inUse(): number {
    return this.used.size;
  }

  /** The next free even port, or undefined when all pairs are taken. */
  allocate(): number | undefined {
    for (let i = 0; i < this.capacity; i++) {
      const port = this.next;
      this.next = port + 2 + 1 > this.max ? this.min : port + 2;
      if (!this.used.has(port)) {
        this.used.add(port);
        return port;
      }
    }
    return undefined;
  }

  release(port: number): void {
    this.used.delete(port);
  }
}
