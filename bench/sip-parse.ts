/**
 * Micro-benchmark of the SIP message layer: messages per second on one core for a typical INVITE
 * (with SDP, the test fixture) and its 200 OK. Run with `npm run bench:sip-parse`; prints a Markdown table for
 * docs/benchmarks.md (## SIP message parsing). No network.
 */
import { cpus } from 'node:os';
import { createResponse, parseMessage, serialize, validateRequest, type SipRequest } from '../src/sip/message';
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
      void r.branch, r.cseq.seq, r.fromTag, r.toTag, r.callId;
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
