/**
 * Micro-benchmark of the SIP message layer: messages per second on one core for a typical INVITE
 * (with SDP, the test fixture) and its 200 OK. Run with `npm run bench:sip-parse`; prints a Markdown table for
 * docs/benchmarks.md (## SIP message parsing). No network.
 */
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { SipStreamFramer, createResponse, parseMessage, serialize, validateRequest, type SipRequest } from '../src/sip';
import { LOOPBACK_INVITE } from '../test/sip/message/sip-message-fixtures';

/** The typical INVITE the message tests use (room system, SDP offer). */
const INVITE = LOOPBACK_INVITE;
const SDP = mustParse(INVITE).body;

function mustParse(bytes: Buffer): SipRequest {
  const o = parseMessage(bytes);
  if (!o.ok || !o.value.isRequest()) throw new Error('benchmark fixture does not parse');
  return o.value;
}

const OK = serialize(
  createResponse(mustParse(INVITE), 200, 'OK', {
    toTag: '8f3a2c1d',
    headers: [
      ['Contact', '<sip:4021@127.0.0.1:5060>'],
      ['Supported', 'timer'],
      ['Session-Expires', '1800;refresher=uac'],
      ['Server', 'confgate/0.1.0'],
    ],
    contentType: 'application/sdp',
    body: SDP,
  }),
);

/**
 * Runs `fn` for about `ms` milliseconds of CPU time after a warm-up and returns calls per CPU
 * second: CPU time, not wall time, so other processes on the machine do not skew the figure.
 */
function rate(fn: () => void, ms = 1500): number {
  for (let i = 0; i < 20000; i++) fn();
  let n = 0;
  const start = process.cpuUsage();
  let used = 0;
  while (used < ms * 1000) {
    for (let i = 0; i < 1000; i++) fn();
    n += 1000;
    const u = process.cpuUsage(start);
    used = u.user + u.system;
  }
  return n / (used / 1e6);
}

const cases: Array<[string, () => void]> = [
  [
    'INVITE: parse + serialize',
    () => {
      const o = parseMessage(INVITE);
      if (o.ok) serialize(o.value);
    },
  ],
  [
    '200 OK: parse + serialize',
    () => {
      const o = parseMessage(OK);
      if (o.ok) serialize(o.value);
    },
  ],
  [
    'INVITE: parse + validate + Via/CSeq/tags/Call-ID',
    () => {
      const o = parseMessage(INVITE);
      if (!o.ok || !o.value.isRequest()) return;
      const r = o.value;
      validateRequest(r);
      void r.branch;
      void r.cseq.seq;
      void r.fromTag;
      void r.toTag;
      void r.callId;
    },
  ],
  [
    'INVITE: createResponse(180, To-tag) + serialize',
    (() => {
      const r = mustParse(INVITE);
      return () => serialize(createResponse(r, 180, undefined, { toTag: 'x1' }));
    })(),
  ],
];

console.log(`Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, one core, CPU time`);
console.log(`INVITE ${INVITE.length} bytes, 200 OK ${OK.length} bytes\n`);
console.log('| case | messages per CPU-second | CPU µs/message |');
console.log('| --- | ---: | ---: |');
for (const [name, fn] of cases) {
  process.stderr.write(`running: ${name}\r`);
  const r = rate(fn);
  console.log(`| ${name} | ${Math.round(r).toLocaleString('en-US')} | ${(1e6 / r).toFixed(2)} |`);
}

/**
 * Hostile input: messages near the 64 KB bound built to make a careless parser quadratic (thousands
 * of parameters, thousands of junk lines, a TCP peer sending one byte per segment). Each must cost
 * about as much as its size, i.e. milliseconds, not seconds.
 */
function validate(bytes: Buffer): void {
  const o = parseMessage(bytes);
  if (o.ok && o.value.isRequest()) validateRequest(o.value);
}

const request = (lines: string[]) =>
  Buffer.from(['INFO sip:conf@127.0.0.1 SIP/2.0', ...lines, 'Content-Length: 0', '', ''].join('\r\n'));
const common = ['From: <sip:a@127.0.0.1>;tag=1', 'To: <sip:b@127.0.0.1>', 'Call-ID: hostile@127.0.0.1', 'CSeq: 1 INFO'];
const params = Array.from({ length: 7000 }, (_, i) => ';p' + i).join('');
const bigBody = 'x'.repeat(60000);
const parseCase = (bytes: Buffer) => () => validate(bytes);
const slowTcp = Buffer.from(`INFO sip:a@127.0.0.1 SIP/2.0\r\nContent-Length: ${bigBody.length}\r\n\r\n${bigBody}`);
const hostile: Array<[string, () => void]> = [
  ['Via with 7,000 parameters', parseCase(request(['Via: SIP/2.0/UDP 127.0.0.1' + params, ...common]))],
  [
    'Contact URI with 7,000 parameters',
    parseCase(
      request(['Via: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKh', ...common, `Contact: <sip:a@127.0.0.1${params}>`]),
    ),
  ],
  [
    '20,000 header lines without colon',
    parseCase(
      request(['Via: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKh', ...common, ...Array.from({ length: 20000 }, () => 'x')]),
    ),
  ],
  [
    '3,000 Contact values',
    parseCase(
      request([
        'Via: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKh',
        ...common,
        'Contact: ' + Array.from({ length: 3000 }, () => '<sip:a@127.0.0.1>').join(','),
      ]),
    ),
  ],
  [
    '60 KB message over TCP, one byte per segment',
    () => {
      const framer = new SipStreamFramer();
      for (let i = 0; i < slowTcp.length; i++) framer.push(slowTcp.subarray(i, i + 1));
    },
  ],
];

console.log('\n| hostile input (about 60 KB) | CPU ms |');
console.log('| --- | ---: |');
for (const [name, fn] of hostile) {
  process.stderr.write(`running: ${name}\r`);
  for (let i = 0; i < 3; i++) fn();
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  console.log(`| ${name} | ${((used.user + used.system) / 1000).toFixed(1)} |`);
}

const noise = Array.from({ length: 256 }, () => randomBytes(1400));
let k = 0;
const noiseRate = rate(() => parseMessage(noise[k++ & 255]));
console.log(
  `\nRandom 1,400-byte datagrams (binary noise): ${Math.round(noiseRate).toLocaleString('en-US')} per CPU-second, ${(1e6 / noiseRate).toFixed(2)} µs each`,
);
