/** Pieces of X.691 shared by the aligned-PER encoder and decoder. */
import type { StringKind, TypeNode } from './type-table';

/** 64K: the bound above which lengths use the unconstrained form (X.691 §10.9.3.3). */
export const K64 = 65536;
/** 16K: the fragment unit of length determinants (X.691 §10.9.3.8). */
export const K16 = 16384;
/** Deeper nesting is refused, so that hostile input cannot exhaust the stack. */
export const MAX_DEPTH = 100;

/** Number of bits for a constrained whole number with this range (X.691 §10.5.7.1). */
export function bitsFor(rangeMinusOne: number): number {
  if (rangeMinusOne < 2 ** 31) return 32 - Math.clz32(rangeMinusOne);
  let n = 0;
  while (rangeMinusOne >= 2 ** n) n++;
  return n;
}

/** Minimal number of octets holding the non-negative `v` (at least one). */
export function octetsFor(v: number): number {
  let n = 1;
  while (v >= 256 ** n) n++;
  return n;
}

/** Character coding of a known-multiplier string type (X.691 §30.5): bits per character and the alphabet map. */
export interface CharCoding {
  bits: number;
  /** characters by index, when indices rather than codes go on the wire (§30.5.4 b) */
  alphabet?: string;
  /** code → index for `alphabet` */
  index?: Map<number, number>;
  /** largest permitted code, for direct codes */
  maxCode: number;
  /** a permitted alphabet constrains the characters */
  checked: boolean;
}

const BASE_ALPHABETS: Record<Exclude<StringKind, 'General'>, { size: number; max: number; chars?: string }> = {
  IA5: { size: 128, max: 127 },
  Printable: {
    size: 74,
    max: 122,
    chars: " '()+,-./0123456789:=?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
  },
  Numeric: { size: 11, max: 57, chars: ' 0123456789' },
  BMP: { size: 65536, max: 65535 },
};

const codings = new WeakMap<TypeNode, CharCoding>();

/** §30.5.2–30.5.4: b is rounded up to a power of two in the ALIGNED variant; codes are used directly when they fit. */
export function charCoding(node: Extract<TypeNode, { k: 'str' }>): CharCoding {
  const known = codings.get(node);
  if (known) return known;
  const base = BASE_ALPHABETS[node.s as Exclude<StringKind, 'General'>];
  const chars = node.p ?? base.chars;
  const size = node.p ? node.p.length : base.size;
  const maxCode = chars ? Math.max(...[...chars].map((c) => c.charCodeAt(0))) : base.max;
  let bits = bitsFor(size - 1);
  bits = bits <= 1 ? bits : bits <= 2 ? 2 : bits <= 4 ? 4 : bits <= 8 ? 8 : 16;
  const index = chars ? new Map([...chars].map((c, i) => [c.charCodeAt(0), i])) : undefined;
  const coding: CharCoding =
    chars && maxCode > 2 ** bits - 1
      ? { bits, alphabet: chars, index: index!, maxCode, checked: true }
      : { bits, maxCode, checked: index !== undefined, ...(index ? { index } : {}) };
  codings.set(node, coding);
  return coding;
}

const componentSets = new WeakMap<Extract<TypeNode, { k: 'seq' }>, Set<string>>();

/** Names a SEQUENCE value may carry: its components and `$extensions`. */
export function componentNames(node: Extract<TypeNode, { k: 'seq' }>): Set<string> {
  let names = componentSets.get(node);
  if (!names) {
    names = new Set([...node.f, ...node.a].map(([n]) => n).concat('$extensions'));
    componentSets.set(node, names);
  }
  return names;
}

type ChoiceNode = Extract<TypeNode, { k: 'choice' }>;
type EnumNode = Extract<TypeNode, { k: 'enum' }>;
const choiceIndexes = new WeakMap<ChoiceNode | EnumNode, Map<string, number>>();

/** Alternative (or enumeration) name → index; additions are numbered after the root, from `r.length`. */
export function nameIndex(node: ChoiceNode | EnumNode): Map<string, number> {
  let m = choiceIndexes.get(node);
  if (!m) {
    const names = node.k === 'choice' ? [...node.r, ...node.a].map(([n]) => n) : [...node.r, ...node.a];
    m = new Map(names.map((n, i) => [n, i]));
    choiceIndexes.set(node, m);
  }
  return m;
}

const oidCache = new Map<string, Uint8Array | undefined>();

/** Content octets of an OBJECT IDENTIFIER (X.690 §8.19), from its dotted form; the few OIDs in use are cached. */
export function oidToBytes(oid: string): Uint8Array | undefined {
  if (oidCache.has(oid)) return oidCache.get(oid);
  const bytes = oidContents(oid);
  if (oidCache.size < 1024) oidCache.set(oid, bytes);
  return bytes;
}

function oidContents(oid: string): Uint8Array | undefined {
  if (!/^\d+(\.\d+)+$/.test(oid)) return undefined;
  const arcs = oid.split('.').map(Number);
  if (arcs[0]! > 2 || (arcs[0]! < 2 && arcs[1]! > 39)) return undefined;
  const subs = [arcs[0]! * 40 + arcs[1]!, ...arcs.slice(2)];
  const out: number[] = [];
  for (const s of subs) {
    if (!Number.isSafeInteger(s)) return undefined;
    const groups: number[] = [];
    let v = s;
    do {
      groups.unshift(v % 128);
      v = Math.floor(v / 128);
    } while (v > 0);
    groups.forEach((g, i) => out.push(i < groups.length - 1 ? g | 0x80 : g));
  }
  return Uint8Array.from(out);
}

/** The dotted form of OBJECT IDENTIFIER content octets, or undefined when they are not well formed. */
export function bytesToOid(bytes: Uint8Array): string | undefined {
  const subs: number[] = [];
  let v = 0;
  let started = false;
  for (const b of bytes) {
    if (!started && b === 0x80) return undefined;
    v = v * 128 + (b & 0x7f);
    started = true;
    if (!(b & 0x80)) {
      if (!Number.isSafeInteger(v)) return undefined;
      subs.push(v);
      v = 0;
      started = false;
    }
  }
  if (started || subs.length === 0) return undefined;
  const first = subs[0]!;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...subs.slice(1)].join('.');
}
