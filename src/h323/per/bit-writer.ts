/** Appends bit fields most significant bit first, as X.691 §10.1 lays them out; grows as needed. */
export class BitWriter {
  // Most encodings (and every extension addition, encoded on its own) are a few dozen octets.
  private buf = new Uint8Array(64);
  private pos = 0;
  private cur = 0;
  private nbits = 0;

  private push(byte: number): void {
    if (this.pos === this.buf.length) {
      const bigger = new Uint8Array(this.buf.length * 2);
      bigger.set(this.buf);
      this.buf = bigger;
    }
    this.buf[this.pos++] = byte;
  }

  /** Writes the `n` low bits of the non-negative integer `v` (n ≤ 53). */
  writeBits(v: number, n: number): void {
    if (n > 24) {
      this.writeBits(Math.floor(v / 0x1000000), n - 24);
      this.writeBits(v % 0x1000000, 24);
      return;
    }
    let total = this.nbits + n;
    const acc = (this.cur * (1 << n) + v) >>> 0;
    while (total >= 8) {
      total -= 8;
      this.push((acc >>> total) & 0xff);
    }
    this.cur = acc & ((1 << total) - 1);
    this.nbits = total;
  }

  /** Pads with zero bits to the next octet boundary (X.691 §3.7.18 "octet-aligned"). */
  align(): void {
    if (this.nbits > 0) {
      this.push((this.cur << (8 - this.nbits)) & 0xff);
      this.cur = 0;
      this.nbits = 0;
    }
  }

  writeBytes(bytes: Uint8Array): void {
    if (this.nbits === 0) {
      if (this.pos + bytes.length > this.buf.length) {
        const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.pos + bytes.length));
        bigger.set(this.buf);
        this.buf = bigger;
      }
      this.buf.set(bytes, this.pos);
      this.pos += bytes.length;
    } else {
      for (const b of bytes) this.writeBits(b, 8);
    }
  }

  get bitLength(): number {
    return this.pos * 8 + this.nbits;
  }

  /** The complete encoding, padded to whole octets (X.691 §11.1). */
  finish(): Uint8Array {
    this.align();
    return this.buf.slice(0, this.pos);
  }
}
