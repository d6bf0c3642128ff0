/** What the SIPp caller does once the call is answered. */
export type DialInStep =
  /** A key by SIP INFO, `application/dtmf-relay` (`signal` is the key, or an RFC 4733 event number). */
  | { info: string }
  /** RTP replayed from a capture (RFC 2833 events or in-band tones), then a pause to let it play out. */
  | { pcap: string; thenPauseMs: number }
  | { pauseMs: number };

export interface DialInScenario {
  /** Our offer's audio payload types: `0 101` offers telephone-event, `0` only G.711 μ-law. */
  payloadTypes: '0 101' | '0';
  steps: readonly DialInStep[];
  /** Required text of the Reason header of confgate's BYE (RFC 3326), if any. */
  byeReason?: string;
  /** How long SIPp waits for confgate's BYE. */
  byeTimeoutMs: number;
}

const FROM = 'From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]';
const VIA = 'Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport';
const CONTACT = 'Contact: <sip:sipp@[local_ip]:[local_port]>';

function inDialog(method: string, cseq: number, extra: string[], body?: string): string {
  const head = [
    `${method} [next_url] SIP/2.0`,
    VIA,
    FROM,
    '[last_To:]',
    '[routes]',
    'Call-ID: [call_id]',
    `CSeq: ${cseq} ${method}`,
    CONTACT,
    'Max-Forwards: 70',
    ...extra,
  ];
  return body === undefined
    ? [...head, 'Content-Length: 0', '', ''].join('\n')
    : [...head, 'Content-Length: [len]', '', body].join('\n');
}

function step(s: DialInStep, cseq: number): string {
  if ('info' in s) {
    return `  <send retrans="500"><![CDATA[\n${inDialog('INFO', cseq, ['Content-Type: application/dtmf-relay'], `Signal=${s.info}\nDuration=160`)}\n]]></send>\n  <recv response="200"/>\n  <pause milliseconds="300"/>\n`;
  }
  if ('pcap' in s) {
    return `  <nop><action><exec play_pcap_audio="${s.pcap}"/></action></nop>\n  <pause milliseconds="${s.thenPauseMs}"/>\n`;
  }
  return `  <pause milliseconds="${s.pauseMs}"/>\n`;
}

/**
 * A SIPp caller (UAC) scenario: INVITE `sip:conf@confgate` with loopback SDP, take the 200 (its
 * SDP must answer G.711 μ-law), ACK, run the steps, then wait for confgate's BYE and answer it.
 * Every address is one SIPp fills in from its loopback `-i`/`-mi` options.
 */
export function dialInScenario(s: DialInScenario): string {
  const telephoneEvent = s.payloadTypes === '0 101' ? '\na=rtpmap:101 telephone-event/8000\na=fmtp:101 0-15' : '';
  const sdp = `v=0\no=sipp 1 1 IN IP4 [local_ip]\ns=-\nc=IN IP4 [media_ip]\nt=0 0\nm=audio [media_port] RTP/AVP ${s.payloadTypes}\na=rtpmap:0 PCMU/8000${telephoneEvent}`;
  const invite = [
    'INVITE sip:conf@[remote_ip]:[remote_port] SIP/2.0',
    VIA,
    FROM,
    'To: <sip:conf@[remote_ip]:[remote_port]>',
    'Call-ID: [call_id]',
    'CSeq: 1 INVITE',
    CONTACT,
    'Max-Forwards: 70',
    'Content-Type: application/sdp',
    'Content-Length: [len]',
    '',
    sdp,
  ].join('\n');
  const reasonCheck = s.byeReason
    ? `\n    <action><ereg regexp="${s.byeReason.replace(/"/g, '&quot;')}" search_in="hdr" header="Reason:" check_it="true" assign_to="reason"/></action>\n  `
    : '';
  const ok = [
    'SIP/2.0 200 OK',
    '[last_Via:]',
    '[last_From:]',
    '[last_To:]',
    '[last_Call-ID:]',
    '[last_CSeq:]',
    'Content-Length: 0',
    '',
    '',
  ].join('\n');
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="confgate dial-in">
  <send retrans="500"><![CDATA[\n${invite}\n]]></send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="200" rrs="true">
    <action><ereg regexp="m=audio [0-9]+ RTP/AVP 0( 101)?\\r?\\n" search_in="body" check_it="true" assign_to="answer"/></action>
  </recv>
  <send><![CDATA[\n${inDialog('ACK', 1, [])}\n]]></send>
${s.steps.map((st, i) => step(st, i + 2)).join('')}  <recv request="BYE" timeout="${s.byeTimeoutMs}">${reasonCheck}</recv>
  <send><![CDATA[\n${ok}\n]]></send>
  <timewait milliseconds="500"/>
  <Reference variables="answer${s.byeReason ? ',reason' : ''}"/>
</scenario>
`;
}
