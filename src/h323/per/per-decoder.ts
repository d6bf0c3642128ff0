/**
 * Table-driven decoder for the ALIGNED variant of ITU-T X.691 (PER). Every read is bounds-checked,
 * every count is checked against the bits left, and nesting is bounded, so malformed input ends in a
 * {@link PerError} carrying the field path, never another exception and never a long loop.
 */
import { BitReader } from './bit-reader';
import { FieldPath } from './field-path';
import { K16, K64, bitsFor, bytesToOid, charCoding, octetsFor } from './per-common';
import { PerError } from './per-error';
import type { Bounds, TypeNode, TypeTable } from './type-table';
import type { BitString } from './values';

type Node<K extends TypeNode['k']> = Extract<TypeNode, { k: K }>;

export class PerDecoder {
  private readonly path = new FieldPath();

  constructor(private readonly table: TypeTable) {}

  /** Decodes one complete encoding of the type at `typeIndex` (X.691 §11.1); trailing padding is ignored. */
  decode(typeIndex: number, bytes: Uint8Array): unknown {
    this.path.reset(this.table.nodes[typeIndex]?.n);
    try {
      return this.value(typeIndex, new BitReader(bytes));
    } catch (e) {
      throw this.path.locate(e);
    }
  }

  private value(idx: number, r: BitReader): unknown {
    const node = this.table.nodes[idx]!;
    switch (node.k) {
      case 'seq':
        return this.sequence(node, r);
      case 'choice':
        return this.choice(node, r);
      case 'of':
        return this.sequenceOf(node, r);
      case 'int':
        return this.integer(node, r);
      case 'enum':
        return this.enumerated(node, r);
      case 'bool':
        return r.bits(1) === 1;
      case 'null':
        return null;
      case 'oid': {
        const oid = bytesToOid(this.unconstrainedOctets(r));
        if (oid === undefined) throw new PerError('malformed', 'bad OBJECT IDENTIFIER');
        return oid;
      }
      case 'oct':
        return this.octets(node, r);
      case 'bit':
        return this.bitString(node, r);
      case 'str':
        return this.string(node, r);
      case 'open':
        return this.inner(node.t, this.unconstrainedOctets(r));
    }
  }

  /** An open type's contents are a complete encoding of their own (X.691 §11.2). */
  private inner(idx: number, bytes: Uint8Array): unknown {
    return this.value(idx, new BitReader(bytes));
  }

  private field(seg: string | number, idx: number, r: BitReader): unknown {
    this.path.enter(seg, this.table.nodes[idx]!.n);
    const v = this.value(idx, r);
    this.path.leave();
    return v;
  }

  private fieldFromBytes(seg: string, idx: number, bytes: Uint8Array): unknown {
    this.path.enter(seg, this.table.nodes[idx]!.n);
    const v = this.inner(idx, bytes);
    this.path.leave();
    return v;
  }

  /** X.691 §19: extension bit, optional-field bitmap, root components, then extension additions as open types. */
  private sequence(node: Node<'seq'>, r: BitReader): Record<string, unknown> {
    const extended = node.x && r.bits(1) === 1;
    const present: boolean[] = [];
    for (const f of node.f) present.push(!f[2] || r.bits(1) === 1);
    const out: Record<string, unknown> = {};
    node.f.forEach(([name, t], i) => {
      if (present[i]) out[name] = this.field(name, t, r);
    });
    if (!extended) return out;
    const n = this.normallySmallLength(r);
    if (n > r.remainingBits) throw new PerError('truncated', `extension bitmap of ${n} bits`);
    const bitmap: boolean[] = [];
    for (let i = 0; i < n; i++) bitmap.push(r.bits(1) === 1);
    let unknown: Array<Uint8Array | null> | undefined;
    for (let i = 0; i < n; i++) {
      if (!bitmap[i]) continue;
      const bytes = this.unconstrainedOctets(r);
      const known = node.a[i];
      if (known) {
        out[known[0]] = this.fieldFromBytes(known[0], known[1], bytes);
      } else {
        // X.691 §19.9: additions of a later version are skipped by their length, kept for re-encoding.
        unknown ??= new Array<Uint8Array | null>(n - node.a.length).fill(null);
        unknown[i - node.a.length] = bytes.slice();
      }
    }
    if (unknown) out['$extensions'] = unknown;
    return out;
  }

  /** X.691 §23: the index of the alternative, and the alternative. */
  private choice(node: Node<'choice'>, r: BitReader): Record<string, unknown> {
    if (node.x && r.bits(1) === 1) {
      const i = this.normallySmallNumber(r);
      const bytes = this.unconstrainedOctets(r);
      const alt = node.a[i];
      if (!alt) return { $unknown: { index: i, encoding: bytes.slice() } };
      return { [alt[0]]: this.fieldFromBytes(alt[0], alt[1], bytes) };
    }
    const i = this.constrainedWhole(r, 0, node.r.length - 1);
    const [name, t] = node.r[i]!;
    return { [name]: this.field(name, t, r) };
  }

  private enumerated(node: Node<'enum'>, r: BitReader): string {
    if (node.x && r.bits(1) === 1) {
      const i = this.normallySmallNumber(r);
      const name = node.a[i];
      if (name === undefined) throw new PerError('constraint', `unknown enumeration addition ${i}`);
      return name;
    }
    return node.r[this.constrainedWhole(r, 0, node.r.length - 1)]!;
  }

  private sequenceOf(node: Node<'of'>, r: BitReader): unknown[] {
    const out: unknown[] = [];
    const elem = node.t;
    this.sized(node, r, false, (n) => {
      // Elements may be zero bits long (NULL); beyond this a count cannot be honest.
      if (n > r.remainingBits + 1024)
        throw new PerError('truncated', `${n} elements announced, ${r.remainingBits} bits left`);
      for (let i = 0; i < n; i++) out.push(this.field(out.length, elem, r));
    });
    return out;
  }

  private integer(node: Node<'int'>, r: BitReader): number {
    if (node.x && r.bits(1) === 1) return this.unconstrainedInteger(r);
    if (node.lb !== undefined && node.ub !== undefined) return this.constrainedWhole(r, node.lb, node.ub);
    if (node.lb !== undefined) return node.lb + this.unsignedOctets(this.lengthOctets(r));
    return this.unconstrainedInteger(r);
  }

  private unconstrainedInteger(r: BitReader): number {
    const bytes = this.lengthOctets(r);
    const v = this.unsignedOctets(bytes);
    return bytes[0]! & 0x80 ? v - 2 ** (8 * bytes.length) : v;
  }

  private lengthOctets(r: BitReader): Uint8Array {
    const bytes = this.unconstrainedOctets(r);
    if (bytes.length === 0) throw new PerError('malformed', 'integer of zero octets');
    if (bytes.length > 6)
      throw new PerError('constraint', `integer of ${bytes.length} octets exceeds this codec's 48-bit range`);
    return bytes;
  }

  private unsignedOctets(bytes: Uint8Array): number {
    let v = 0;
    for (const b of bytes) v = v * 256 + b;
    return v;
  }

  /** X.691 §10.5.7: constrained whole number, ALIGNED variant. */
  private constrainedWhole(r: BitReader, lb: number, ub: number): number {
    const range = ub - lb + 1;
    let v: number;
    if (range <= 1) return lb;
    if (range <= 255) v = r.bits(bitsFor(range - 1));
    else if (range === 256) {
      r.align();
      v = r.bits(8);
    } else if (range <= K64) {
      r.align();
      v = r.bits(16);
    } else {
      const octets = 1 + r.bits(bitsFor(octetsFor(range - 1) - 1));
      r.align();
      v = r.bits(octets * 8);
    }
    if (v > range - 1) throw new PerError('constraint', `${lb + v} is outside ${lb}..${ub}`);
    return lb + v;
  }

  /** X.691 §10.6: normally small non-negative whole number. */
  private normallySmallNumber(r: BitReader): number {
    if (r.bits(1) === 0) return r.bits(6);
    return this.unsignedOctets(this.lengthOctets(r));
  }

  /** X.691 §10.9.3.4: normally small length (extension bitmaps). */
  private normallySmallLength(r: BitReader): number {
    if (r.bits(1) === 0) return r.bits(6) + 1;
    const [n, more] = this.unconstrainedLength(r);
    if (n === 0 || more) throw new PerError('malformed', `extension bitmap of ${more ? 'fragmented' : 'zero'} length`);
    return n;
  }

  /** X.691 §10.9.3.5–10.9.3.8: one length octet, two, or a 16K-multiple fragment (`more` set). */
  private unconstrainedLength(r: BitReader): [n: number, more: boolean] {
    r.align();
    const first = r.bits(8);
    if (!(first & 0x80)) return [first, false];
    if (!(first & 0x40)) return [((first & 0x3f) << 8) | r.bits(8), false];
    const m = first & 0x3f;
    if (m < 1 || m > 4) throw new PerError('malformed', `fragment of ${m} × 16K`);
    return [m * K16, true];
  }

  /**
   * The length-prefixed part of a SIZE-constrained type: one constrained length when ub < 64K,
   * otherwise unconstrained lengths with fragments (§10.9). `unit(n)` reads n items.
   */
  private sized(b: Bounds, r: BitReader, alignContent: boolean, unit: (n: number) => void): void {
    let lb = b.lb ?? 0;
    let ub = b.ub;
    if (b.x && r.bits(1) === 1) {
      lb = 0;
      ub = undefined;
    }
    if (ub !== undefined && ub < K64) {
      const n = lb === ub ? lb : this.constrainedWhole(r, lb, ub);
      // An empty octet-aligned field is still aligned (X.691 §11.1; Erlang's asn1 and Wireshark agree).
      if (alignContent) r.align();
      unit(n);
      return;
    }
    let total = 0;
    for (let more = true; more;) {
      const [n, m] = this.unconstrainedLength(r);
      more = m;
      total += n;
      if (ub !== undefined && total > ub) throw new PerError('constraint', `size ${total} exceeds ${ub}`);
      unit(n);
    }
    if (total < lb) throw new PerError('constraint', `size ${total} is below ${lb}`);
  }

  private unconstrainedOctets(r: BitReader): Uint8Array {
    const parts: Uint8Array[] = [];
    this.sized({}, r, true, (n) => parts.push(r.bytes(n)));
    return parts.length === 1 ? parts[0]! : concat(parts);
  }

  /** X.691 §17. */
  private octets(node: Node<'oct'>, r: BitReader): Uint8Array {
    const { lb, ub } = node;
    if (!node.x && lb !== undefined && lb === ub && ub < K64) {
      if (ub <= 2) return Uint8Array.from({ length: ub }, () => r.bits(8));
      return r.bytes(ub).slice();
    }
    const parts: Uint8Array[] = [];
    this.sized(node, r, true, (n) => parts.push(r.bytes(n)));
    return parts.length === 1 ? parts[0]!.slice() : concat(parts);
  }

  /** X.691 §16. */
  private bitString(node: Node<'bit'>, r: BitReader): BitString {
    const chunks: BitString[] = [];
    const read = (n: number): void => {
      if (n > r.remainingBits) throw new PerError('truncated', `${n} bits announced, ${r.remainingBits} left`);
      const data = new Uint8Array(Math.ceil(n / 8));
      for (let i = 0; i < n; i += 8) data[i / 8] = r.bits(Math.min(8, n - i)) << (i + 8 > n ? 8 - (n - i) : 0);
      chunks.push({ length: n, data });
    };
    const { lb, ub } = node;
    if (!node.x && lb !== undefined && lb === ub && ub < K64) {
      if (ub > 16) r.align();
      read(ub);
    } else {
      this.sized(node, r, true, read);
    }
    if (chunks.length === 1) return chunks[0]!;
    // Fragments are whole multiples of 16K bits, so their octets simply follow each other.
    return { length: chunks.reduce((s, c) => s + c.length, 0), data: concat(chunks.map((c) => c.data)) };
  }

  /** X.691 §30: known-multiplier character strings; GeneralString as length-prefixed octets (§30.6). */
  private string(node: Node<'str'>, r: BitReader): string {
    if (node.s === 'General') return Buffer.from(this.unconstrainedOctets(r)).toString('latin1');
    const c = charCoding(node);
    let s = '';
    const read = (n: number): void => {
      if (n * c.bits > r.remainingBits)
        throw new PerError('truncated', `${n} characters announced, ${r.remainingBits} bits left`);
      for (let i = 0; i < n; i++) {
        const v = r.bits(c.bits);
        const ch =
          c.alphabet !== undefined
            ? c.alphabet[v]
            : v <= c.maxCode && (!c.checked || c.index!.has(v))
              ? String.fromCharCode(v)
              : undefined;
        if (ch === undefined) throw new PerError('constraint', `character ${v} is not in the permitted alphabet`);
        s += ch;
      }
    };
    const { lb, ub } = node;
    if (!node.x && lb !== undefined && lb === ub && ub < K64) {
      if (ub * c.bits > 16) r.align();
      read(ub);
    } else {
      this.sized(node, r, ub === undefined || ub * c.bits >= 16, read);
    }
    return s;
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
