/**
 * The aligned-PER runtime (X.691) on small tables generated from ASN.1 text, with the bytes worked out
 * from the clauses cited, plus fuzzing of the three H.323 roots: malformed input ends in PerError only.
 */
import fc from 'fast-check';
import { parseModule } from '../../scripts/asn1/asn1-parser';
import { generate } from '../../scripts/asn1/table-generator';
import { encodePer, decodePer, encodeUserInformation } from '../../src/h323/asn1-codec';
import { PerDecoder } from '../../src/h323/per/per-decoder';
import { PerEncoder } from '../../src/h323/per/per-encoder';
import { PerError } from '../../src/h323/per/per-error';
import { setupWithFastStart, sampleMessages } from '../fixtures/h323/sample-messages';

function codec(text: string, roots: string[]) {
  const { table } = generate(
    [parseModule(`T DEFINITIONS AUTOMATIC TAGS ::= BEGIN\n${text}\nEND`)],
    roots.map((r) => `T.${r}`),
  );
  const enc = new PerEncoder(table);
  const dec = new PerDecoder(table);
  return {
    encode: (type: string, v: unknown): string => Buffer.from(enc.encode(table.names[`T.${type}`]!, v)).toString('hex'),
    decode: (type: string, hex: string): unknown => dec.decode(table.names[`T.${type}`]!, Buffer.from(hex, 'hex')),
  };
}

function perError(f: () => unknown): PerError {
  try {
    f();
  } catch (e) {
    if (e instanceof PerError) return e;
    throw new Error(`not a PerError: ${String(e)}`, { cause: e });
  }
  throw new Error('no error');
}

const TYPES = `
Small ::= INTEGER (0..7)
Octet ::= INTEGER (0..255)
Two ::= INTEGER (0..65535)
Big ::= INTEGER (0..4294967295)
Semi ::= INTEGER (1..MAX)
Any ::= INTEGER
ExtInt ::= INTEGER (1..32768, ...)
Bytes ::= OCTET STRING
Fixed3 ::= OCTET STRING (SIZE (3))
Numbers ::= SEQUENCE OF INTEGER (0..255)
Digits ::= IA5String (SIZE (1..128)) (FROM ("0123456789#*,"))
Signal ::= IA5String (SIZE (1) ^ FROM ("0123456789#*ABCD!"))
Name ::= BMPString (SIZE (1..128))
Text ::= IA5String
General ::= GeneralString
Numeric ::= NumericString (SIZE (0..40))
Oid ::= OBJECT IDENTIFIER
Bits ::= BIT STRING (SIZE (0..511))
Flags ::= BIT STRING (SIZE (12))
Short ::= SEQUENCE { a BOOLEAN, s IA5String (SIZE (1..3)) (FROM ("0123456789abcde")) }
Edge ::= SEQUENCE { a BOOLEAN, s IA5String (SIZE (1..4)) (FROM ("0123456789abcde")) }
Empty ::= SEQUENCE { a BOOLEAN, s OCTET STRING (SIZE (0..40)), b BOOLEAN }
`;
const ROOTS = [
  'Small',
  'Octet',
  'Two',
  'Big',
  'Semi',
  'Any',
  'ExtInt',
  'Bytes',
  'Fixed3',
  'Numbers',
  'Digits',
  'Signal',
  'Name',
  'Text',
  'General',
  'Numeric',
  'Oid',
  'Bits',
  'Flags',
  'Short',
  'Edge',
  'Empty',
];

// Every expected encoding below was also produced by Erlang/OTP asn1 (erlc -bper) from the same type text.
describe('aligned PER primitives (X.691)', () => {
  const c = codec(TYPES, ROOTS);
  const cases: Array<[string, unknown, string]> = [
    ['Small', 5, 'a0'], // §10.5.7.1 bit-field of 3 bits
    ['Octet', 0x12, '12'], // §10.5.7.2 one aligned octet
    ['Two', 0x1234, '1234'], // §10.5.7.3 two aligned octets
    ['Big', 0x12345, '80012345'], // §10.5.7.4 octet count in 2 bits, then aligned octets
    ['Big', 0, '0000'],
    ['Semi', 1, '0100'], // §10.7 semi-constrained
    ['Any', -1, '01ff'], // §10.8 two's complement
    ['Any', 128, '020080'],
    ['ExtInt', 100, '000063'], // §13.2.3: extension bit 0, then the root range 1..32768 in two aligned octets
    ['ExtInt', 40000, '8003009c40'], // outside the root: unconstrained
    ['Bytes', Uint8Array.of(1, 2), '020102'],
    ['Fixed3', Uint8Array.of(1, 2, 3), '010203'],
    ['Numbers', [1, 2, 3], '03010203'],
    ['Digits', '12', '0245'], // §30.5.4: 4-bit indices into "#*,0123456789"
    ['Digits', '5387#', '0886ba00'],
    ['Signal', '#', '23'], // 8-bit codes, fixed size ≤ 16 bits: no length, not aligned
    ['Name', 'ab', '0200610062'], // length 1..128 in 7 bits, aligned 16-bit characters
    ['Text', 'hi', '026869'],
    ['General', '1234#', '053132333423'],
    ['Numeric', '12 3', '102304'], // 4-bit indices into " 0123456789"
    ['Oid', '0.0.8.2250.0.4', '060008914a0004'],
    ['Bits', { length: 4, data: Uint8Array.of(0xa0) }, '0004a0'], // length range 512: two aligned octets
    ['Flags', { length: 12, data: Uint8Array.of(0xab, 0xc0) }, 'abc0'],
    ['Short', { a: true, s: '1' }, '82'], // ub × b = 12 bits: the characters follow the length unaligned
    ['Edge', { a: true, s: '1' }, '8010'], // ub × b = 16 bits: aligned
    ['Empty', { a: true, s: new Uint8Array(0), b: true }, '8080'], // an empty octet-aligned field is still aligned
  ];

  it.each(cases)('%s %p ⇄ %s', (type, value, hex) => {
    expect(c.encode(type, value)).toBe(hex);
    expect(c.decode(type, hex)).toEqual(value);
  });

  it('fragments lengths of 16K and more into 64K/48K/32K/16K pieces (§10.9.3.8)', () => {
    const big = Uint8Array.from({ length: 70000 }, (_, i) => i & 0xff);
    const hex = c.encode('Bytes', big);
    expect(hex.slice(0, 2)).toBe('c4'); // 4 × 16K
    expect(hex.slice(2 + 65536 * 2, 2 + 65536 * 2 + 4)).toBe('9170'); // 4464 left: two-octet length
    expect(c.decode('Bytes', hex)).toEqual(big);
    const exact = Array.from({ length: 16384 }, (_, i) => i & 0xff);
    const list = c.encode('Numbers', exact);
    expect(list.slice(0, 2)).toBe('c1');
    expect(list.slice(-2)).toBe('00'); // a multiple of 16K ends with a zero length
    expect(c.decode('Numbers', list)).toEqual(exact);
    const text = 'x'.repeat(40000);
    expect(c.decode('Text', c.encode('Text', text))).toBe(text);
  });

  it('rejects values outside their constraints with the reason', () => {
    expect(perError(() => c.encode('Small', 8))).toMatchObject({ kind: 'constraint', detail: '8 is outside 0..7' });
    expect(perError(() => c.encode('Digits', '12a'))).toMatchObject({ kind: 'constraint' });
    expect(perError(() => c.encode('Digits', ''))).toMatchObject({ kind: 'constraint' });
    expect(perError(() => c.encode('Fixed3', Uint8Array.of(1)))).toMatchObject({ kind: 'constraint' });
    expect(perError(() => c.encode('Small', 'five'))).toMatchObject({ kind: 'invalid-value' });
    expect(perError(() => c.encode('General', '1€'))).toMatchObject({ kind: 'constraint' });
    expect(perError(() => c.encode('Name', ''))).toMatchObject({ kind: 'constraint' });
    expect(perError(() => c.encode('Oid', 'not.an.oid'))).toMatchObject({ kind: 'invalid-value' });
    expect(perError(() => c.decode('Small', ''))).toMatchObject({ kind: 'truncated' });
    expect(perError(() => c.decode('Digits', '00ff'))).toMatchObject({ kind: 'constraint' }); // index 15 of 13 characters
    expect(perError(() => c.decode('Bytes', 'c5'))).toMatchObject({ kind: 'malformed' }); // 5 × 16K does not exist
  });
});

const V1 = `
Msg ::= SEQUENCE { id INTEGER (0..255), ..., note IA5String OPTIONAL }
Pick ::= CHOICE { a NULL, b BOOLEAN, ... }
`;
const V2 = `
Msg ::= SEQUENCE { id INTEGER (0..255), ..., note IA5String OPTIONAL, extra OCTET STRING OPTIONAL, more BOOLEAN OPTIONAL }
Pick ::= CHOICE { a NULL, b BOOLEAN, ..., c IA5String }
`;

describe('extensibility (X.691 §19.7, §23.8)', () => {
  const v1 = codec(V1, ['Msg', 'Pick']);
  const v2 = codec(V2, ['Msg', 'Pick']);

  it('skips unknown extension additions by their length and forwards them unchanged on re-encoding', () => {
    const newer = v2.encode('Msg', { id: 7, note: 'hi', more: true });
    const seen = v1.decode('Msg', newer) as Record<string, unknown>;
    expect(seen).toEqual({ id: 7, note: 'hi', $extensions: [null, Uint8Array.of(0x80)] });
    expect(v1.encode('Msg', seen)).toBe(newer);
    expect(v2.decode('Msg', v1.encode('Msg', seen))).toEqual({ id: 7, note: 'hi', more: true });
  });

  it('keeps an unknown CHOICE alternative opaque', () => {
    const newer = v2.encode('Pick', { c: 'x' });
    const seen = v1.decode('Pick', newer);
    expect(seen).toEqual({ $unknown: { index: 0, encoding: Uint8Array.of(0x01, 0x78) } });
    expect(v1.encode('Pick', seen)).toBe(newer);
  });

  it('decodes what an older version sent', () => {
    expect(v2.decode('Msg', v1.encode('Msg', { id: 1, note: 'a' }))).toEqual({ id: 1, note: 'a' });
  });
});

describe('typed errors carry the field path', () => {
  it('names the innermost named type and the fields below it', () => {
    const setup = setupWithFastStart();
    const body = setup['h323-uu-pdu']['h323-message-body'] as { setup: { fastStart: unknown[] } };
    body.setup.fastStart.push('not octets');
    const e = perError(() => encodeUserInformation(setup));
    expect(e.path).toBe('Setup-UUIE.fastStart[1]');
    expect(e.fullPath).toBe('H323-UserInformation.h323-uu-pdu.h323-message-body.setup.fastStart[1]');
    expect(e.message).toBe('Setup-UUIE.fastStart[1]: expected octets (Uint8Array or hex string)');
  });

  it('refuses a component the type does not have (a misspelt field is not silently dropped)', () => {
    const setup = setupWithFastStart();
    (setup['h323-uu-pdu']['h323-message-body'] as { setup: Record<string, unknown> }).setup['fastStar'] = [];
    expect(perError(() => encodeUserInformation(setup))).toMatchObject({
      kind: 'invalid-value',
      path: 'H323-UU-PDU.h323-message-body.setup',
      detail: 'unknown component fastStar',
    });
  });

  it('bounds the nesting depth of recursive types', () => {
    let param: unknown = { parameterIdentifier: { standard: 1 }, parameterValue: { logical: null } };
    for (let i = 0; i < 60; i++)
      param = { parameterIdentifier: { standard: 1 }, parameterValue: { genericParameter: [param] } };
    expect(perError(() => encodePer('MULTIMEDIA-SYSTEM-CONTROL.GenericParameter', param)).kind).toBe('too-deep');
  });
});

describe('malformed input', () => {
  const roots = [
    'H323-MESSAGES.H323-UserInformation',
    'H323-MESSAGES.RasMessage',
    'MULTIMEDIA-SYSTEM-CONTROL.MultimediaSystemControlMessage',
  ];

  it('random bytes decode or fail with a PerError, never another exception', () => {
    fc.assert(
      fc.property(fc.constantFrom(...roots), fc.uint8Array({ maxLength: 300 }), (root, bytes) => {
        try {
          decodePer(root, bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(PerError);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('bit flips and truncations of real messages decode or fail with a PerError, quickly', () => {
    const samples = sampleMessages();
    fc.assert(
      fc.property(fc.constantFrom(...samples), fc.nat(), fc.nat(), (s, at, cut) => {
        const q = `${s.module}.${s.type}`;
        const bytes = encodePer(q, s.value).slice();
        bytes[at % bytes.length]! ^= 1 << (at % 8);
        const started = Date.now();
        try {
          decodePer(q, bytes.subarray(0, bytes.length - (cut % 4)));
        } catch (e) {
          expect(e).toBeInstanceOf(PerError);
        }
        expect(Date.now() - started).toBeLessThan(1000);
      }),
      { numRuns: 1000 },
    );
  });

  it('a count of zero-bit elements larger than the input is refused instead of looping', () => {
    const nulls = codec('Nulls ::= SEQUENCE OF NULL', ['Nulls']);
    expect(nulls.decode('Nulls', '03')).toEqual([null, null, null]);
    const started = Date.now();
    expect(perError(() => nulls.decode('Nulls', 'c4'.repeat(1000)))).toMatchObject({ kind: 'truncated' });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
