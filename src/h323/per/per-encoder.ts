/**
 * Table-driven encoder for the ALIGNED variant of ITU-T X.691 (PER). Values are checked against their
 * ASN.1 type as they are written; a wrong shape or an out-of-range value is a {@link PerError} with the
 * field path. Extension additions are written with the full bitmap of the known additions plus any
 * unknown ones kept from decoding (X.691 §19.7).
 */
import { BitWriter } from './bit-writer';
import { FieldPath } from './field-path';
import { K16, K64, bitsFor, charCoding, componentNames, nameIndex, octetsFor, oidToBytes } from './per-common';
import { PerError } from './per-error';
import type { Bounds, TypeNode, TypeTable } from './type-table';

type Node<K extends TypeNode['k']> = Extract<TypeNode, { k: K }>;

function invalid(what: string): PerError {
  return new PerError('invalid-value', what);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/** OCTET STRING values are Uint8Arrays; their JSON form (`confgate h323 encode`) is a hex string. */
function asBytes(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string' && /^([0-9a-fA-F]{2})*$/.test(v)) return Uint8Array.from(Buffer.from(v, 'hex'));
  throw invalid('expected octets (Uint8Array or hex string)');
}

export class PerEncoder {
  private readonly path = new FieldPath();

  constructor(private readonly table: TypeTable) {}

  /** One complete encoding of `value` as the type at `typeIndex`: at least one octet (X.691 §11.1). */
  encode(typeIndex: number, value: unknown): Uint8Array {
    this.path.reset(this.table.nodes[typeIndex]?.n);
    try {
      return this.complete(typeIndex, value);
    } catch (e) {
      throw this.path.locate(e);
    }
  }

  private complete(idx: number, value: unknown): Uint8Array {
    const w = new BitWriter();
    this.value(idx, value, w);
    const out = w.finish();
    return out.length === 0 ? new Uint8Array(1) : out;
  }

  private value(idx: number, v: unknown, w: BitWriter): void {
    const node = this.table.nodes[idx]!;
    switch (node.k) {
      case 'seq':
        return this.sequence(node, v, w);
      case 'choice':
        return this.choice(node, v, w);
      case 'of':
        return this.sequenceOf(node, v, w);
      case 'int':
        return this.integer(node, v, w);
      case 'enum':
        return this.enumerated(node, v, w);
      case 'bool':
        if (typeof v !== 'boolean') throw invalid('expected a boolean');
        return w.writeBits(v ? 1 : 0, 1);
      case 'null':
        if (v !== null) throw invalid('expected null');
        return;
      case 'oid': {
        const bytes = typeof v === 'string' ? oidToBytes(v) : undefined;
        if (!bytes) throw invalid('expected a dotted OBJECT IDENTIFIER');
        return this.unconstrainedOctets(bytes, w);
      }
      case 'oct':
        return this.octets(node, asBytes(v), w);
      case 'bit':
        return this.bitString(node, v, w);
      case 'str':
        return this.string(node, v, w);
      case 'open':
        return this.unconstrainedOctets(this.complete(node.t, v), w);
    }
  }

  private field(seg: string | number, idx: number, v: unknown, w: BitWriter): void {
    this.path.enter(seg, this.table.nodes[idx]!.n);
    this.value(idx, v, w);
    this.path.leave();
  }

  private fieldAsOpenType(seg: string, idx: number, v: unknown, w: BitWriter): void {
    this.path.enter(seg, this.table.nodes[idx]!.n);
    this.unconstrainedOctets(this.complete(idx, v), w);
    this.path.leave();
  }

  /** X.691 §19. */
  private sequence(node: Node<'seq'>, v: unknown, w: BitWriter): void {
    if (!isRecord(v)) throw invalid('expected an object (SEQUENCE)');
    const names = componentNames(node);
    for (const key in v) if (!names.has(key)) throw invalid(`unknown component ${key}`);
    const kept = v['$extensions'];
    if (
      kept !== undefined &&
      !(Array.isArray(kept) && kept.every((u) => u === null || u instanceof Uint8Array || typeof u === 'string'))
    ) {
      throw invalid('$extensions must be an array of octets or null');
    }
    const unknown = (kept ?? []) as Array<Uint8Array | string | null>;
    const extended = node.x && (node.a.some(([n]) => v[n] !== undefined) || unknown.some((u) => u !== null));
    if (node.x) w.writeBits(extended ? 1 : 0, 1);
    else if (unknown.length > 0) throw invalid('extension additions on a non-extensible SEQUENCE');
    for (const [name, , optional] of node.f) {
      if (optional) w.writeBits(v[name] === undefined ? 0 : 1, 1);
      else if (v[name] === undefined) throw new PerError('invalid-value', `missing mandatory component ${name}`);
    }
    for (const [name, t] of node.f) if (v[name] !== undefined) this.field(name, t, v[name], w);
    if (!extended) return;
    this.normallySmallLength(node.a.length + unknown.length, w);
    for (const [name] of node.a) w.writeBits(v[name] === undefined ? 0 : 1, 1);
    for (const u of unknown) w.writeBits(u === null ? 0 : 1, 1);
    for (const [name, t] of node.a) if (v[name] !== undefined) this.fieldAsOpenType(name, t, v[name], w);
    for (const u of unknown) if (u !== null) this.unconstrainedOctets(asBytes(u), w);
  }

  /** X.691 §23. */
  private choice(node: Node<'choice'>, v: unknown, w: BitWriter): void {
    const keys = isRecord(v) ? Object.keys(v) : [];
    if (keys.length !== 1) throw invalid('expected an object with exactly one alternative (CHOICE)');
    const key = keys[0]!;
    const alt = (v as Record<string, unknown>)[key];
    if (key === '$unknown' && node.x && isRecord(alt) && typeof alt['index'] === 'number') {
      w.writeBits(1, 1);
      this.normallySmallNumber(alt['index'], w);
      return this.unconstrainedOctets(asBytes(alt['encoding']), w);
    }
    const i = nameIndex(node).get(key);
    if (i === undefined) throw invalid(`unknown alternative ${key}`);
    if (i < node.r.length) {
      if (node.x) w.writeBits(0, 1);
      this.constrainedWhole(i, 0, node.r.length - 1, w);
      return this.field(key, node.r[i]![1], alt, w);
    }
    w.writeBits(1, 1);
    this.normallySmallNumber(i - node.r.length, w);
    this.fieldAsOpenType(key, node.a[i - node.r.length]![1], alt, w);
  }

  private enumerated(node: Node<'enum'>, v: unknown, w: BitWriter): void {
    const i = typeof v === 'string' ? nameIndex(node).get(v) : undefined;
    if (i === undefined) throw invalid(`expected one of ${[...node.r, ...node.a].join(', ')}`);
    if (node.x) w.writeBits(i < node.r.length ? 0 : 1, 1);
    if (i < node.r.length) this.constrainedWhole(i, 0, node.r.length - 1, w);
    else this.normallySmallNumber(i - node.r.length, w);
  }

  private sequenceOf(node: Node<'of'>, v: unknown, w: BitWriter): void {
    if (!Array.isArray(v)) throw invalid('expected an array (SEQUENCE OF)');
    this.sized(node, v.length, w, false, (from, count) => {
      for (let i = from; i < from + count; i++) this.field(i, node.t, v[i], w);
    });
  }

  private integer(node: Node<'int'>, v: unknown, w: BitWriter): void {
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw invalid('expected an integer');
    const inRoot = (node.lb === undefined || v >= node.lb) && (node.ub === undefined || v <= node.ub);
    if (node.x) {
      w.writeBits(inRoot ? 0 : 1, 1);
      if (!inRoot) return this.unconstrainedInteger(v, w);
    } else if (!inRoot) {
      throw new PerError('constraint', `${v} is outside ${node.lb ?? 'MIN'}..${node.ub ?? 'MAX'}`);
    }
    if (node.lb !== undefined && node.ub !== undefined) return this.constrainedWhole(v, node.lb, node.ub, w);
    if (node.lb !== undefined) return this.unconstrainedOctets(unsignedOctets(v - node.lb), w);
    this.unconstrainedInteger(v, w);
  }

  private unconstrainedInteger(v: number, w: BitWriter): void {
    let n = 1;
    while (v < -(2 ** (8 * n - 1)) || v >= 2 ** (8 * n - 1)) n++;
    const bytes = unsignedOctets(v < 0 ? v + 2 ** (8 * n) : v, n);
    this.unconstrainedOctets(bytes, w);
  }

  /** X.691 §10.5.7. */
  private constrainedWhole(v: number, lb: number, ub: number, w: BitWriter): void {
    const range = ub - lb + 1;
    const off = v - lb;
    if (range <= 1) return;
    if (range <= 255) return w.writeBits(off, bitsFor(range - 1));
    if (range <= K64) {
      w.align();
      return w.writeBits(off, range === 256 ? 8 : 16);
    }
    // X.691 §10.5.7.4: the octet count as a constrained whole number, then the octets, aligned.
    const octets = octetsFor(off);
    w.writeBits(octets - 1, bitsFor(octetsFor(range - 1) - 1));
    w.align();
    w.writeBits(off, octets * 8);
  }

  private normallySmallNumber(n: number, w: BitWriter): void {
    if (n < 64) return w.writeBits(n, 7);
    w.writeBits(1, 1);
    this.unconstrainedOctets(unsignedOctets(n), w);
  }

  private normallySmallLength(n: number, w: BitWriter): void {
    if (n <= 64) return w.writeBits(n - 1, 7);
    w.writeBits(1, 1);
    this.unconstrainedLengthOnly(n, w);
  }

  private unconstrainedLengthOnly(n: number, w: BitWriter): void {
    w.align();
    if (n < 128) w.writeBits(n, 8);
    else if (n < K16) w.writeBits(0x8000 | n, 16);
    else throw new PerError('constraint', `length ${n} needs fragmentation here`);
  }

  /**
   * X.691 §10.9: a constrained length when ub < 64K, else unconstrained lengths with 16K-multiple
   * fragments; `emit(from, count)` writes that many items.
   */
  private sized(
    b: Bounds,
    n: number,
    w: BitWriter,
    alignContent: boolean,
    emit: (from: number, count: number) => void,
  ): void {
    const inRoot = n >= (b.lb ?? 0) && (b.ub === undefined || n <= b.ub);
    let lb = b.lb ?? 0;
    let ub = b.ub;
    if (b.x) {
      w.writeBits(inRoot ? 0 : 1, 1);
      if (!inRoot) {
        lb = 0;
        ub = undefined;
      }
    } else if (!inRoot) {
      throw new PerError('constraint', `size ${n} is outside ${lb}..${ub ?? 'MAX'}`);
    }
    if (ub !== undefined && ub < K64) {
      if (lb !== ub) this.constrainedWhole(n, lb, ub, w);
      // An empty octet-aligned field is still aligned (X.691 §11.1; Erlang's asn1 and Wireshark agree).
      if (alignContent) w.align();
      return emit(0, n);
    }
    let from = 0;
    for (;;) {
      const rest = n - from;
      w.align();
      if (rest < 128) {
        w.writeBits(rest, 8);
        return emit(from, rest);
      }
      if (rest < K16) {
        w.writeBits(0x8000 | rest, 16);
        return emit(from, rest);
      }
      const m = Math.min(4, Math.floor(rest / K16));
      w.writeBits(0xc0 | m, 8);
      emit(from, m * K16);
      from += m * K16;
    }
  }

  private unconstrainedOctets(bytes: Uint8Array, w: BitWriter): void {
    this.sized({}, bytes.length, w, true, (from, count) => w.writeBytes(bytes.subarray(from, from + count)));
  }

  /** X.691 §17. */
  private octets(node: Node<'oct'>, bytes: Uint8Array, w: BitWriter): void {
    const { lb, ub } = node;
    if (!node.x && lb !== undefined && lb === ub && ub < K64) {
      if (bytes.length !== ub) throw new PerError('constraint', `size ${bytes.length} is not ${ub}`);
      if (ub <= 2) for (const b of bytes) w.writeBits(b, 8);
      else {
        w.align();
        w.writeBytes(bytes);
      }
      return;
    }
    this.sized(node, bytes.length, w, true, (from, count) => w.writeBytes(bytes.subarray(from, from + count)));
  }

  /** X.691 §16. */
  private bitString(node: Node<'bit'>, v: unknown, w: BitWriter): void {
    if (!isRecord(v) || typeof v['length'] !== 'number' || !Number.isSafeInteger(v['length']) || v['length'] < 0)
      throw invalid('expected { length, data } (BIT STRING)');
    const length = v['length'];
    const data = asBytes(v['data']);
    if (data.length < Math.ceil(length / 8)) throw invalid(`BIT STRING data holds fewer than ${length} bits`);
    const emit = (from: number, count: number): void => {
      for (let i = from; i < from + count; i += 8) {
        const k = Math.min(8, from + count - i);
        w.writeBits(data[i >> 3]! >> (8 - k), k);
      }
    };
    const { lb, ub } = node;
    if (!node.x && lb !== undefined && lb === ub && ub < K64) {
      if (length !== ub) throw new PerError('constraint', `size ${length} is not ${ub}`);
      if (ub > 16) w.align();
      return emit(0, ub);
    }
    this.sized(node, length, w, true, emit);
  }

  /** X.691 §30. */
  private string(node: Node<'str'>, v: unknown, w: BitWriter): void {
    if (typeof v !== 'string') throw invalid('expected a string');
    if (node.s === 'General') {
      // One octet per character; H.245 carries ASCII here (alphanumeric user input, RFC 4733 event lists).
      if (/[\u0100-\uffff]/.test(v)) throw new PerError('constraint', 'GeneralString characters must be single octets');
      return this.unconstrainedOctets(Buffer.from(v, 'latin1'), w);
    }
    const c = charCoding(node);
    const codes: number[] = [];
    for (let i = 0; i < v.length; i++) {
      const code = v.charCodeAt(i);
      const mapped =
        c.alphabet !== undefined
          ? c.index!.get(code)
          : code <= c.maxCode && (!c.checked || c.index!.has(code))
            ? code
            : undefined;
      if (mapped === undefined)
        throw new PerError('constraint', `character '${v[i]}' is not in the permitted alphabet`);
      codes.push(mapped);
    }
    const emit = (from: number, count: number): void => {
      for (let i = from; i < from + count; i++) w.writeBits(codes[i]!, c.bits);
    };
    const { lb, ub } = node;
    if (!node.x && lb !== undefined && lb === ub && ub < K64) {
      if (codes.length !== ub) throw new PerError('constraint', `size ${codes.length} is not ${ub}`);
      if (ub * c.bits > 16) w.align();
      return emit(0, ub);
    }
    this.sized(node, codes.length, w, ub === undefined || ub * c.bits >= 16, emit);
  }
}

/** Minimal big-endian octets of a non-negative integer (or exactly `n` octets). */
function unsignedOctets(v: number, n = octetsFor(v)): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = n - 1; i >= 0; i--) {
    out[i] = v % 256;
    v = Math.floor(v / 256);
  }
  return out;
}
