/**
 * Flat records ↔ the field lists of Redis streams and hashes (`XADD`/`HSET` take `k1 v1 k2 v2 …`,
 * `XRANGE` gives them back): absent values are left out, listed keys read back as numbers.
 */
export function toFields(record: object): string[] {
  return Object.entries(record).flatMap(([k, v]) => (v === undefined ? [] : [k, String(v)]));
}

export function fromFields<T>(fields: readonly string[], numeric: ReadonlySet<string>): T {
  const r: Record<string, string | number> = {};
  for (let i = 0; i + 1 < fields.length; i += 2)
    r[fields[i]!] = numeric.has(fields[i]!) ? Number(fields[i + 1]) : fields[i + 1]!;
  return r as T;
}
