/** The ASN.1 parser and table generator; the committed generated files must match the module texts. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseModule, Asn1SyntaxError } from '../../scripts/asn1/asn1-parser';
import { generate } from '../../scripts/asn1/table-generator';
import { generateFromShared, generatedDir } from '../../scripts/asn1/generate';
// These tests skip (counted) where ../shared is absent: a fresh clone has none.
import { needsShared } from '../support/shared-files';

needsShared(describe)('generated H.323 tables', () => {
  it('are up to date with ../shared/asn1 (else run npm run asn1:generate)', () => {
    for (const [name, text] of Object.entries(generateFromShared())) {
      expect([name, readFileSync(join(generatedDir, name), 'utf8') === text]).toEqual([name, true]);
    }
  });
});

const MODULE = `
M DEFINITIONS AUTOMATIC TAGS ::= BEGIN
IMPORTS Imported FROM N;
Root ::= SEQUENCE   -- a comment -- {
  a     INTEGER (0..7),
  b     Digits OPTIONAL,      -- trailing comment
  c     SEQUENCE SIZE (1..4) OF Imported,
  d     Wrapped { BOOLEAN },
  ...,
  e     ENUMERATED { x(2), y(0), ..., z } OPTIONAL,
  f     TYPE-IDENTIFIER.&Type (Imported)
}
Digits ::= IA5String (SIZE (1..128)) (FROM ("0123456789#*"))
Sig ::= IA5String (SIZE (1) ^ FROM ("9A0"))
Ext ::= INTEGER (1..32768, ...)
Wrapped { T } ::= SEQUENCE { inner T } ( CONSTRAINED BY { -- anything -- } )
END
N DEFINITIONS AUTOMATIC TAGS ::= BEGIN
Imported ::= CHOICE { n NULL, o OCTET STRING (SIZE(2)), ... , p BIT STRING }
END`;

describe('ASN.1 parser and table generator', () => {
  const modules = MODULE.split(/(?=^N DEFINITIONS)/m).map(parseModule);
  const { table } = generate(modules, ['M.Root', 'M.Sig', 'M.Ext']);
  const node = (name: string) => table.nodes[table.names[name]!]!;

  it('resolves references across modules, parameterised types, extension additions and constraints', () => {
    const root = node('M.Root');
    if (root.k !== 'seq') throw new Error('not a sequence');
    expect(root.x).toBe(true);
    expect(root.f.map(([n, , o]) => [n, o])).toEqual([
      ['a', false],
      ['b', true],
      ['c', false],
      ['d', false],
    ]);
    expect(root.a.map(([n]) => n)).toEqual(['e', 'f']);
    expect(table.nodes[root.f[0]![1]]).toEqual({ k: 'int', lb: 0, ub: 7 });
    expect(table.nodes[root.f[1]![1]]).toEqual({ k: 'str', s: 'IA5', lb: 1, ub: 128, p: '#*0123456789', n: 'Digits' });
    expect(table.nodes[root.f[2]![1]]).toEqual({ k: 'of', t: table.names['N.Imported'], lb: 1, ub: 4 });
    const wrapped = table.nodes[root.f[3]![1]]!;
    expect(wrapped).toMatchObject({ k: 'seq', n: 'Wrapped', f: [['inner', expect.any(Number), false]] });
    // X.691 §14: the root enumerations ordered by value, the additions after
    expect(table.nodes[root.a[0]![1]]).toEqual({ k: 'enum', x: true, r: ['y', 'x'], a: ['z'] });
    expect(table.nodes[root.a[1]![1]]).toEqual({ k: 'open', t: table.names['N.Imported'] });
    expect(node('M.Sig')).toEqual({ k: 'str', s: 'IA5', lb: 1, ub: 1, p: '09A', n: 'Sig' });
    expect(node('M.Ext')).toEqual({ k: 'int', lb: 1, ub: 32768, x: true, n: 'Ext' });
    expect(node('N.Imported')).toMatchObject({
      k: 'choice',
      x: true,
      r: [
        ['n', expect.any(Number)],
        ['o', expect.any(Number)],
      ],
      a: [['p', expect.any(Number)]],
    });
  });

  needsShared(it)('writes TypeScript types per module, referring across modules by namespace', () => {
    const h225 = generateFromShared()['h225-types.ts']!;
    expect(h225).toContain(
      'export type CallIdentifier = { guid: GloballyUniqueID; $extensions?: UnknownExtensions; };',
    );
    expect(h225).toContain("import type * as h245 from './h245-types';");
    expect(h225).toMatch(/: h245\.DataProtocolCapability/);
    expect(h225).toContain(
      "export type ScreeningIndicator = 'userProvidedNotScreened' | 'userProvidedVerifiedAndPassed' | 'userProvidedVerifiedAndFailed' | 'networkProvided';",
    );
  });

  it('reports text outside the dialect with its line', () => {
    expect(() => parseModule('X DEFINITIONS AUTOMATIC TAGS ::= BEGIN\nT ::= REAL ( ::= )\nEND')).toThrow(
      Asn1SyntaxError,
    );
    expect(() => parseModule('X DEFINITIONS AUTOMATIC TAGS ::= BEGIN\nT ::= SEQUENCE { a 5 }\nEND')).toThrow(/line 2/);
  });
});
