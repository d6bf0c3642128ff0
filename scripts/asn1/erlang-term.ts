/**
 * Renders a codec value as the Erlang term that OTP's asn1 (`erlc -bper +maps`) uses for the same
 * ASN.1 value, walking the generated type table: SEQUENCE → map, CHOICE → {alt, V}, strings → lists
 * of character codes, OCTET STRING → binary, BIT STRING → bitstring, OID → tuple, NULL → 'NULL'.
 * It changes the representation only; the Erlang side does all of the encoding.
 */
import type { TypeTable } from '../../src/h323/per/type-table';

const atom = (s: string): string => `'${s.replace(/'/g, "\\'")}'`;
const binary = (b: Uint8Array): string => `<<${Array.from(b).join(',')}>>`;

export function erlangTerm(table: TypeTable, idx: number, v: unknown): string {
  const node = table.nodes[idx]!;
  const rec = v as Record<string, unknown>;
  switch (node.k) {
    case 'seq': {
      const fields = [...node.f, ...node.a]
        .filter(([n]) => rec[n] !== undefined)
        .map(([n, t]) => `${atom(n)} => ${erlangTerm(table, t, rec[n])}`);
      return `#{${fields.join(', ')}}`;
    }
    case 'choice': {
      const [key] = Object.keys(rec);
      const alt = [...node.r, ...node.a].find(([n]) => n === key);
      if (!alt) throw new Error(`no alternative ${key}`);
      return `{${atom(alt[0])}, ${erlangTerm(table, alt[1], rec[alt[0]])}}`;
    }
    case 'of':
      return `[${(v as unknown[]).map((e) => erlangTerm(table, node.t, e)).join(', ')}]`;
    case 'int':
      return String(v);
    case 'enum':
      return atom(v as string);
    case 'bool':
      return v ? 'true' : 'false';
    case 'null':
      return "'NULL'";
    case 'oid':
      return `{${(v as string).split('.').join(',')}}`;
    case 'oct':
      return binary(v as Uint8Array);
    case 'bit': {
      const { length, data } = v as { length: number; data: Uint8Array };
      const parts = [];
      for (let i = 0; i < length; i += 8) {
        const k = Math.min(8, length - i);
        parts.push(`${data[i >> 3]! >> (8 - k)}:${k}`);
      }
      return `<<${parts.join(',')}>>`;
    }
    case 'str':
      // Erlang writes BMPString characters above 255 as {0,0,Row,Cell} quadruples.
      return `[${Array.from(v as string, (c) => {
        const code = c.charCodeAt(0);
        return code > 255 ? `{0,0,${code >> 8},${code & 0xff}}` : String(code);
      }).join(',')}]`;
    case 'open':
      throw new Error('open types are not converted (Erlang keeps them as encoded binaries)');
  }
}
