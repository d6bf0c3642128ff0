/**
 * Mutations of valid SIP messages for fuzzing the parser and everything behind it: each takes the
 * message and a seeded random source and returns new bytes, so a failing input is replayed from
 * its seed. Header-level mutations work on latin1 text, which keeps every byte as it was.
 */
export type Random = () => number;

/** A named mutation: its name goes into the report and the saved input. */
export interface Mutation {
  name: string;
  apply(message: Buffer, random: Random): Buffer;
}

const int = (random: Random, below: number): number => Math.floor(random() * below);
const pick = <T>(random: Random, items: readonly T[]): T => items[int(random, items.length)]!;

function text(b: Buffer): string {
  return b.toString('latin1');
}

function bytes(s: string): Buffer {
  return Buffer.from(s, 'latin1');
}

/** The message as head lines (start line, headers) and the body after the first empty line. */
function split(message: Buffer): { lines: string[]; body: string } {
  const s = text(message);
  const end = s.indexOf('\r\n\r\n');
  const head = end < 0 ? s : s.slice(0, end);
  return { lines: head.split('\r\n'), body: end < 0 ? '' : s.slice(end + 4) };
}

function join(lines: readonly string[], body: string): Buffer {
  return bytes(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

/** Rewrites the value of the first header named `name` (any case), or adds one when absent. */
function setHeader(message: Buffer, name: string, value: string): Buffer {
  const { lines, body } = split(message);
  const i = lines.findIndex((l, k) => k > 0 && l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  if (i < 0) lines.push(`${name}: ${value}`);
  else lines[i] = `${name}: ${value}`;
  return join(lines, body);
}

const HUGE_FILL = ['a', ';', ',', '<', ' ', '%', '"', '\\', ';x=y', ',<sip:a@b>', '\t'];
const BAD_CSEQ = [
  '-1 INVITE',
  '99999999999999999999 INVITE',
  '1',
  'INVITE 1',
  '1 BYE',
  '0x10 OPTIONS',
  '',
  '4294967296 INFO',
  '1 INVITE extra',
];
const BAD_CONTENT_LENGTH = ['-5', '99999999', 'abc', '', '1e3', '0', '65536', ' 12 ', '18446744073709551616'];
const BAD_URI = [
  'sip:',
  'sip:@',
  'sip:user@[::1',
  'sip:a@b:99999',
  'sip:%ZZ@127.0.0.1',
  'tel:',
  '<sip:x>',
  'sip:u@h;;;',
  'sip:u@h?',
  'sips:',
  'sip:u@127.0.0.1:-1',
  'sip:\u00ff@127.0.0.1',
  '*',
  'sip:[]',
];
const START_LINES = [
  'SIP/2.0 200 OK',
  'SIP/3.0 200 OK',
  'SIP/2.0 999',
  'INVITE',
  'INVITE sip:a@b SIP/2.1',
  ' INVITE sip:a@b SIP/2.0',
  'INV\u0000ITE sip:a@b SIP/2.0',
  'SIP/2.0 abc Bad',
];

/** Every mutation the fuzzer draws from. */
export const MUTATIONS: readonly Mutation[] = [
  {
    name: 'flip-bits',
    apply(m, random) {
      const out = Buffer.from(m);
      for (let k = 1 + int(random, 8); k > 0 && out.length > 0; k--)
        out[int(random, out.length)]! ^= 1 << int(random, 8);
      return out;
    },
  },
  { name: 'truncate', apply: (m, random) => m.subarray(0, int(random, m.length)) },
  {
    name: 'duplicate-header',
    apply(m, random) {
      const { lines, body } = split(m);
      if (lines.length < 2) return m;
      const i = 1 + int(random, lines.length - 1);
      lines.splice(i, 0, ...Array<string>(1 + int(random, 50)).fill(lines[i]!));
      return join(lines, body);
    },
  },
  {
    name: 'remove-header',
    apply(m, random) {
      const { lines, body } = split(m);
      if (lines.length > 1) lines.splice(1 + int(random, lines.length - 1), 1);
      return join(lines, body);
    },
  },
  {
    name: 'huge-value',
    apply(m, random) {
      const { lines, body } = split(m);
      const i = int(random, lines.length);
      lines[i] += pick(random, HUGE_FILL).repeat(1 + int(random, 60_000));
      return join(lines, body);
    },
  },
  { name: 'bad-cseq', apply: (m, random) => setHeader(m, 'CSeq', pick(random, BAD_CSEQ)) },
  {
    name: 'bad-content-length',
    apply: (m, random) => setHeader(m, 'Content-Length', pick(random, BAD_CONTENT_LENGTH)),
  },
  {
    name: 'bad-uri',
    apply(m, random) {
      const { lines, body } = split(m);
      const parts = lines[0]!.split(' ');
      if (random() < 0.5 && parts.length === 3) lines[0] = `${parts[0]} ${pick(random, BAD_URI)} ${parts[2]}`;
      else {
        const header = pick(random, ['To', 'From', 'Contact', 'Via']);
        const i = lines.findIndex((l) => l.startsWith(`${header}:`));
        if (i > 0) lines[i] = `${header}: <${pick(random, BAD_URI)}>;tag=x`;
      }
      return join(lines, body);
    },
  },
  {
    name: 'non-utf8',
    apply(m, random) {
      const at = int(random, m.length + 1);
      const junk = pick(random, [
        [0xc3, 0x28],
        [0xff],
        [0xe2, 0x82],
        [0xf0, 0x9f, 0x92],
        [0xc0, 0xaf],
        [0xed, 0xa0, 0x80],
      ]);
      return Buffer.concat([m.subarray(0, at), Buffer.from(junk), m.subarray(at)]);
    },
  },
  {
    name: 'line-endings',
    apply(m, random) {
      const s = text(m);
      return bytes(
        pick(random, [
          s.replace(/\r\n/g, '\n'),
          s.replace(/\r\n/g, '\r'),
          s.replace('\r\n\r\n', '\r\n'),
          s.replace(/\r\n/g, '\r\n '),
        ]),
      );
    },
  },
  {
    name: 'nul-bytes',
    apply(m, random) {
      const at = int(random, m.length + 1);
      return Buffer.concat([m.subarray(0, at), Buffer.alloc(1 + int(random, 4)), m.subarray(at)]);
    },
  },
  {
    name: 'start-line',
    apply(m, random) {
      const { lines, body } = split(m);
      lines[0] = pick(random, START_LINES);
      return join(lines, body);
    },
  },
];

/** One to three mutations of `message` in a row, and their names. */
export function mutate(message: Buffer, random: Random): { bytes: Buffer; mutations: string[] } {
  let out = message;
  const names: string[] = [];
  for (let k = 1 + int(random, 3); k > 0; k--) {
    const mutation = pick(random, MUTATIONS);
    out = mutation.apply(out, random);
    names.push(mutation.name);
  }
  return { bytes: out, mutations: names };
}
