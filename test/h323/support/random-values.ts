/**
 * Random valid values of any generated ASN.1 type, walking the type table: every field, alternative,
 * size and character the constraints allow may come up. Seeded, so a failure can be replayed.
 * Values that would need an open type (Erlang keeps those as bytes) or nest too deep are abandoned.
 */
import type { TypeTable } from '../../../src/h323/per/type-table';

export class Abandon extends Error {}

const PRINTABLE = " '()+,-./0123456789:=?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function randomValue(table: TypeTable, idx: number, rnd: () => number, depth = 0): unknown {
  if (depth > 14) throw new Abandon();
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const size = (lb = 0, ub?: number, cap = 4): number => int(lb, Math.min(ub ?? lb + cap, lb + cap));
  const node = table.nodes[idx]!;
  const sub = (t: number): unknown => randomValue(table, t, rnd, depth + 1);
  switch (node.k) {
    case 'seq': {
      const out: Record<string, unknown> = {};
      const chance = depth > 6 ? 0.05 : 0.35;
      for (const [name, t, optional] of node.f) if (!optional || rnd() < chance) out[name] = sub(t);
      for (const [name, t] of node.a) if (rnd() < chance) out[name] = sub(t);
      return out;
    }
    case 'choice': {
      const alts = [...node.r, ...node.a];
      const [name, t] = alts[int(0, alts.length - 1)]!;
      return { [name]: sub(t) };
    }
    case 'of':
      return Array.from({ length: size(node.lb, node.ub, depth > 6 ? 1 : 3) }, () => sub(node.t));
    case 'int': {
      if (node.lb !== undefined && node.ub !== undefined)
        return rnd() < 0.2 ? (rnd() < 0.5 ? node.lb : node.ub) : int(node.lb, node.ub);
      if (node.lb !== undefined) return node.lb + int(0, rnd() < 0.5 ? 300 : 2 ** 40);
      return int(-(2 ** 40), 2 ** 40);
    }
    case 'enum': {
      const names = [...node.r, ...node.a];
      return names[int(0, names.length - 1)];
    }
    case 'bool':
      return rnd() < 0.5;
    case 'null':
      return null;
    case 'oid': {
      const first = int(0, 2);
      return [
        first,
        int(0, first < 2 ? 39 : 200),
        ...Array.from({ length: int(0, 4) }, () => int(0, rnd() < 0.5 ? 127 : 70000)),
      ].join('.');
    }
    case 'oct':
      return Uint8Array.from({ length: size(node.lb, node.ub, 6) }, () => int(0, 255));
    case 'bit': {
      const length = size(node.lb, node.ub, 20);
      const data = Uint8Array.from({ length: Math.ceil(length / 8) }, () => int(0, 255));
      if (length % 8) data[data.length - 1]! &= (0xff << (8 - (length % 8))) & 0xff;
      return { length, data };
    }
    case 'str': {
      const alphabet =
        node.p ??
        (node.s === 'Numeric'
          ? ' 0123456789'
          : node.s === 'Printable'
            ? PRINTABLE
            : node.s === 'BMP'
              ? 'aé€中\u0000\u0416' + PRINTABLE
              : node.s === 'IA5'
                ? '\u0000\u007f#*' + PRINTABLE
                : PRINTABLE);
      return Array.from({ length: size(node.lb, node.ub, 8) }, () => alphabet[int(0, alphabet.length - 1)]).join('');
    }
    case 'open':
      throw new Abandon();
  }
}
