/** Where a fuzz message is addressed from and to: loopback addresses only. */
export interface FuzzEndpoints {
  /** The product's SIP address. */
  target: { host: string; port: number };
  /** The fuzzer's socket, written in Via and Contact. */
  source: { host: string; port: number };
  transport: 'UDP' | 'TCP';
}

const SDP = [
  'v=0',
  'o=fuzz 1 1 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 49170 RTP/AVP 0 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-15',
  '',
].join('\r\n');

function message(startLine: string, e: FuzzEndpoints, n: number, method: string, extra: string[], body = ''): Buffer {
  const { host, port } = e.source;
  return Buffer.from(
    [
      startLine,
      `Via: SIP/2.0/${e.transport} ${host}:${port};branch=z9hG4bK-fuzz-${method.toLowerCase()}-${n};rport`,
      'Max-Forwards: 70',
      `From: "Fuzz" <sip:fuzz@${host}>;tag=fuzz${n}`,
      `To: <sip:${startLine.split(' ')[1]!.replace(/^sip:/, '')}>`,
      `Call-ID: fuzz-${method.toLowerCase()}-${n}@${host}`,
      `CSeq: ${n} ${method}`,
      `Contact: <sip:fuzz@${host}:${port};transport=${e.transport.toLowerCase()}>`,
      ...extra,
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join('\r\n'),
    'latin1',
  );
}

/**
 * Valid requests of every method confgate handles or must refuse cleanly (RFC 3261 §7, §8.1.1),
 * numbered by `n` so each seed gives fresh Call-IDs and branches: INVITEs to the IVR (`conf@`) and
 * to a direct form, OPTIONS, BYE and INFO outside any dialog, REGISTER and a CANCEL.
 */
export function fuzzCorpus(e: FuzzEndpoints, n: number): Buffer[] {
  const t = `${e.target.host}:${e.target.port}`;
  const sdp = ['Content-Type: application/sdp'];
  return [
    message(`INVITE sip:conf@${t} SIP/2.0`, e, n, 'INVITE', [...sdp, 'Supported: timer'], SDP),
    message(`INVITE sip:5387*8688@${t} SIP/2.0`, e, n, 'INVITE', [...sdp, 'User-Agent: fuzz'], SDP),
    message(`OPTIONS sip:${t} SIP/2.0`, e, n, 'OPTIONS', ['Accept: application/sdp']),
    message(`BYE sip:conf@${t} SIP/2.0`, e, n, 'BYE', ['Reason: SIP;cause=200;text="fuzz"']),
    message(`REGISTER sip:${t} SIP/2.0`, e, n, 'REGISTER', ['Expires: 3600']),
    message(
      `INFO sip:conf@${t} SIP/2.0`,
      e,
      n,
      'INFO',
      ['Content-Type: application/dtmf-relay'],
      'Signal=5\r\nDuration=160\r\n',
    ),
    message(`CANCEL sip:conf@${t} SIP/2.0`, e, n, 'CANCEL', []),
  ];
}
