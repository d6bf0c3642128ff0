import { PerError } from './per-error';

/** Reads bit fields most significant bit first from a byte range; every read is bounds-checked. */
export class BitReader {
  private bitPos: number;
  private readonly endBit: number;

  private readonly buf: Uint8Array;

  constructor(input: Uint8Array) {
    // A plain view, so that values sliced out of a Node Buffer are copies, not views (Buffer#slice shares memory).
    this.buf = new Uint8Array(input.buffer, input.byteOffset, input.length);
    this.bitPos = 0;
    this.endBit = input.length * 8;
  }

  get remainingBits(): number {
    return this.endBit - this.bitPos;
  }

  private need(n: number): void {
    if (this.bitPos + n > this.endBit)
      throw new PerError('truncated', `needs ${n} more bits, ${Math.max(0, this.endBit - this.bitPos)} left`);
  }

  /** Reads `n` bits (n ≤ 53) as a non-negative integer. */
  bits(n: number): number {
    if (n > 24) {
      const hi = this.bits(n - 24);
      return hi * 0x1000000 + this.bits(24);
    }
    this.need(n);
    let v = 0;
    let left = n;
    while (left > 0) {
      const byte = this.buf[this.bitPos >>> 3]!;
      const offset = this.bitPos & 7;
      const take = Math.min(8 - offset, left);
      v = (v << take) | ((byte >>> (8 - offset - take)) & ((1 << take) - 1));
      this.bitPos += take;
      left -= take;
    }
    return v >>> 0;
  }

  align(): void {
    this.bitPos = (this.bitPos + 7) & ~7;
  }

  /** Reads `n` whole octets from the next octet boundary, without copying. */
  bytes(n: number): Uint8Array {
    this.align();
    this.need(n * 8);
    const start = this.bitPos >>> 3;
    this.bitPos += n * 8;
    return this.buf.subarray(start, start + n);
  }
}
