/**
 * Micro-benchmark of the SIP message layer: messages per second on one core for a typical INVITE
 * (with SDP) and its 200 OK. Run with `npm run bench:sip-parse`; prints a Markdown table for
 * docs/benchmarks.md (## SIP message parsing). No network.
 */
import { cpus } from 'node:os';
import { createResponse, parseMessage, serialize, validateRequest, type SipRequest } from '../src/sip/message';

const SDP = [
  'v=0',
  'o=room 2890844526 2890844526 IN IP4 127.0.0.2',
  's=-',
  'c=IN IP4 127.0.0.2',
  't=0 0',
  'm=audio 49170 RTP/AVP 0 8 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-15',
  'm=video 51372 RTP/AVP 96',
  'a=rtpmap:96 H264/90000',
  'a=fmtp:96 profile-level-id=42e01f;packetization-mode=1',
  '',
].join('\r\n');

const INVITE = Buffer.from(
  [
    'INVITE sip:4021@127.0.0.1:5060 SIP/2.0',
    'Via: SIP/2.0/UDP 127.0.0.2:5062;branch=z9hG4bK-d8754z-1f2e3d4c5b6a;rport',
    'Max-Forwards: 70',
    'Contact: <sip:room-12@127.0.0.2:5062;transport=udp>',
    'To: <sip:4021@127.0.0.1>',
    'From: "Room 12" <sip:room-12@127.0.0.2>;tag=a73kszlfl',
    'Call-ID: 3c26b8a1e5f0-4d1c-9a8b@127.0.0.2',
    'CSeq: 1 INVITE',
    'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE',
    'Supported: timer, replaces',
    'Session-Expires: 1800',
    'User-Agent: RoomSystem/9.1',
    'Content-Type: application/sdp',
    `Content-Length: ${Buffer.byteLength(SDP)}`,
    '',
    SDP,
  ].join('\r\n'),
);

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
