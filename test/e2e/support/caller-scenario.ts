/** What a SIPp caller does in a dial-in test. */
export interface CallerPlan {
  /** Request-URI user part: `5387*8688`, `5387`, `conf`. */
  user: string;
  /** Digits keyed by SIP INFO (application/dtmf-relay) after the answer, {@link INFO_DIGIT_INTERVAL_MS} apart, e.g. `8688#`. */
  infoDigits?: string;
  /** Digits played as RFC 4733 events from SIPp's captures (`/usr/share/sip-tester/dtmf_2833_<d>.pcap`), 500 ms apart; `#` is `pound`. */
  rtpDigits?: string;
  /**
   * `cancel`: CANCEL after the 180 (the 487 is then expected);
   * `hang-up`: BYE after `holdMs`; `await-bye`: wait for the far end's BYE (from confgate);
   * a number: the INVITE must be refused with that status.
   */
  end: 'hang-up' | 'await-bye' | 'cancel' | number;
  /** How long the connected call lasts before our BYE (default 500 ms). */
  holdMs?: number;
  /** With `hang-up` or a status: this refusal is accepted too (the call then ends without reaching the MCU). */
  orRefused?: number;
  /** A header the refusal must carry, as a regular expression over the response (e.g. `Retry-After: *[0-9]+`). */
  refusalHeader?: string;
  /**
   * Mid-call steps once connected, in order. Requests the caller sends, each answered 200:
   * `fast-update` is an INFO with an `application/media_control+xml` picture fast update (RFC 5168),
   * `reinvite` a new offer, `update` a new offer by UPDATE (RFC 3311) whose 200 must carry the MCU's
   * answer (`o=mcu 1 3`). Requests the caller must receive from the MCU through confgate, and answer
   * 200: `answer-update`, an UPDATE with the MCU's offer (`o=mcu 1 4`), answered with SDP `o=sipp 1 4`;
   * `answer-info`, an INFO picture fast update; `answer-reinvite`, a re-INVITE with an MCU's offer
   * (a move to another MCU, RFC 3725) or confgate's own (its last words before a release), waited
   * for up to 20 s, answered with SDP (see {@link CallerPlan.reinviteMediaPort}), then its ACK;
   * `refuse-reinvite`, such a re-INVITE refused with 488 Not Acceptable Here, then its ACK.
   */
  midCall?: ReadonlyArray<MidCallStep>;
  /**
   * The audio port the answers to `answer-reinvite` steps give (default SIPp's own media port): a
   * test's UDP socket on the caller's address, to count the RTP that follows the re-INVITE.
   */
  reinviteMediaPort?: number;
  /** Accept a re-INVITE (the RFC 3725 hand-over to the MCU) before hanging up. */
  expectReinvite?: boolean;
  /** With `await-bye`: a regular expression the BYE's `Reason` header (RFC 3326) must match, e.g. `cause=480`. */
  byeReason?: string;
  /** A line SIPp logs (`-trace_logs`) once the call is answered, with SIPp keywords, e.g. `connected [call_number]`. */
  connectedLog?: string;
}

/** One mid-call step of {@link CallerPlan.midCall}. */
export type MidCallStep =
  'fast-update' | 'reinvite' | 'update' | 'answer-update' | 'answer-info' | 'answer-reinvite' | 'refuse-reinvite';

/** The pause before each SIP INFO digit (the first one after the ACK). */
export const INFO_DIGIT_INTERVAL_MS = 300;

/** Every test caller's INVITE names itself so (RFC 3261 §20.41), as room systems do. */
export const CALLER_USER_AGENT = 'SIPp confgate-e2e';
const VIA = 'Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport';
const FROM = 'From: "Ada Lovelace" <sip:0601020304@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]';

/** A request inside the call's dialog: To carries confgate's tag as SIPp learned it (`[peer_tag_param]`), whoever sent last. */
function request(user: string, method: string, cseq: number, extra: string[], body = ''): string {
  const lines = [
    `${method} [next_url] SIP/2.0`,
    VIA,
    FROM,
    `To: <sip:${user}@[remote_ip]:[remote_port]>[peer_tag_param]`,
    '[routes]',
    'Call-ID: [call_id]',
    `CSeq: ${cseq} ${method}`,
    'Contact: <sip:sipp@[local_ip]:[local_port]>',
    'Max-Forwards: 70',
    ...extra,
    'Content-Length: [len]',
    '',
    body,
  ];
  return `  <send retrans="500"><![CDATA[\n${lines.join('\n')}\n]]></send>\n`;
}

const SDP = [
  'v=0',
  'o=sipp 1 1 IN IP4 [local_ip]',
  's=-',
  'c=IN IP4 [media_ip]',
  't=0 0',
  'm=audio [media_port] RTP/AVP 0 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-15',
].join('\n');

/** RFC 5168 §3: a request for a full video frame, which MCUs expect relayed from room systems. */
const FAST_UPDATE =
  '<?xml version="1.0" encoding="utf-8" ?><media_control><vc_primitive><to_encoder><picture_fast_update/></to_encoder></vc_primitive></media_control>';

/** Our 200 OK to the request just received, with our SDP when it answers an offer. */
function okToRequest(sdp?: string): string {
  return responseToRequest('200 OK', sdp);
}

/** Our final response (`<status> <phrase>`) to the request just received, with our SDP when given. */
function responseToRequest(statusLine: string, sdp?: string): string {
  const body = sdp ? `Content-Type: application/sdp\nContent-Length: [len]\n\n${sdp}` : 'Content-Length: 0\n';
  return `  <send><![CDATA[
SIP/2.0 ${statusLine}
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:sipp@[local_ip]:[local_port]>
${body}
]]></send>
`;
}

/**
 * The ACK of a non-2xx belongs to the INVITE's transaction (RFC 3261 §17.1.1.3): the INVITE's branch,
 * which SIPp writes as `[branch-N]`, N being how many scenario steps back the INVITE is.
 */
/** With {@link CallerPlan.orRefused}: that refusal, optional, jumping to the `refused` label. */
function optionalRefusal(plan: CallerPlan): string {
  return plan.orRefused === undefined ? '' : `  <recv response="${plan.orRefused}" optional="true" next="refused"/>\n`;
}

function ackOfRefusal(user: string, xmlBefore: string): string {
  const stepsBack = (xmlBefore.match(/<(send|recv|pause|nop)\b/g) ?? []).length;
  return `  <send><![CDATA[
ACK sip:${user}@[remote_ip]:[remote_port] SIP/2.0
${VIA.replace('[branch]', `[branch-${stepsBack}]`)}
${FROM}
[last_To:]
Call-ID: [call_id]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0

]]></send>
`;
}

/** SIPp checks of received messages (`check_it`: a mismatch fails the call), and the `<Reference>` SIPp wants for their variables. */
class ScenarioChecks {
  private readonly names: string[] = [];

  /** An `<ereg>` action that fails the call unless `regexp` matches. */
  ereg(regexp: string, searchIn: 'body' | 'msg'): string {
    const name = `check${this.names.length}`;
    this.names.push(name);
    return `<ereg regexp="${regexp}" search_in="${searchIn}" check_it="true" assign_to="${name}"/>`;
  }

  reference(): string {
    return this.names.length > 0 ? `  <Reference variables="${this.names.join(',')}"/>\n` : '';
  }
}

/** A SIPp UAC scenario for one dial-in call, all addresses filled in by SIPp (loopback in these tests). */
export function callerScenario(plan: CallerPlan): { xml: string } {
  let cseq = 1;
  const checks = new ScenarioChecks();
  let xml = `<?xml version="1.0" encoding="ISO-8859-1" ?>\n<!DOCTYPE scenario SYSTEM "sipp.dtd">\n<scenario name="dial-in ${plan.user}">\n`;
  xml += `  <send retrans="500"><![CDATA[
INVITE sip:${plan.user}@[remote_ip]:[remote_port] SIP/2.0
${VIA}
${FROM}
To: <sip:${plan.user}@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:sipp@[local_ip]:[local_port]>
Max-Forwards: 70
User-Agent: ${CALLER_USER_AGENT}
Content-Type: application/sdp
Content-Length: [len]

${SDP}
]]></send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
`;
  if (plan.end === 'cancel') {
    // SIPp wants a mandatory message before a pause: the 180 (ringback relayed from the MCU) is expected.
    xml = xml
      .replace('<recv response="180" optional="true"/>', '<recv response="180"/>')
      .replace('  <recv response="183" optional="true"/>\n', '');
    const steps = (xml.match(/<(send|recv|pause|nop)\b/g) ?? []).length;
    xml += `  <pause milliseconds="300"/>\n  <send><![CDATA[
CANCEL sip:${plan.user}@[remote_ip]:[remote_port] SIP/2.0
${VIA.replace('[branch]', `[branch-${steps + 1}]`)}
${FROM}
To: <sip:${plan.user}@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 CANCEL
Max-Forwards: 70
Content-Length: 0

]]></send>
  <recv response="200"/>
  <recv response="487"/>
`;
    return { xml: `${xml}${ackOfRefusal(plan.user, xml)}</scenario>\n` };
  }
  if (typeof plan.end === 'number') {
    const check = plan.refusalHeader ? `<action>${checks.ereg(plan.refusalHeader, 'msg')}</action>` : '';
    xml += optionalRefusal(plan);
    xml += `  <recv response="${plan.end}">${check}</recv>\n`;
    if (plan.orRefused !== undefined) xml += '  <label id="refused"/>\n';
    xml += `${ackOfRefusal(plan.user, xml)}${checks.reference()}</scenario>\n`;
    return { xml };
  }
  xml += optionalRefusal(plan);
  xml += plan.connectedLog
    ? `  <recv response="200" rrs="true"><action><log message="${plan.connectedLog}"/></action></recv>\n`
    : '  <recv response="200" rrs="true"/>\n';
  xml += request(plan.user, 'ACK', 1, [])
    .replace(' retrans="500"', '')
    .replace('Content-Length: [len]', 'Content-Length: 0');
  for (const digit of plan.infoDigits ?? '') {
    xml += `  <pause milliseconds="${INFO_DIGIT_INTERVAL_MS}"/>\n`;
    xml += request(
      plan.user,
      'INFO',
      ++cseq,
      ['Content-Type: application/dtmf-relay'],
      `Signal=${digit}\nDuration=160`,
    );
    xml += '  <recv response="200"/>\n';
  }
  for (const digit of plan.rtpDigits ?? '') {
    const name = digit === '#' ? 'pound' : digit === '*' ? 'star' : digit;
    xml += `  <nop><action><exec play_pcap_audio="/usr/share/sip-tester/dtmf_2833_${name}.pcap"/></action></nop>\n  <pause milliseconds="500"/>\n`;
  }
  const answerReinvite = (sdp: string): string =>
    `  <recv request="INVITE" timeout="20000"/>\n${okToRequest(sdp)}  <recv request="ACK"/>\n`;
  if (plan.expectReinvite) xml += answerReinvite(SDP);
  const reinviteSdp = SDP.replace('[media_port]', String(plan.reinviteMediaPort ?? '[media_port]'));
  for (const step of plan.midCall ?? []) {
    if (step === 'answer-reinvite') {
      xml += answerReinvite(reinviteSdp);
      continue;
    }
    if (step === 'refuse-reinvite') {
      xml += `  <recv request="INVITE" timeout="20000"/>\n${responseToRequest('488 Not Acceptable Here')}  <recv request="ACK"/>\n`;
      continue;
    }
    if (step === 'answer-update') {
      xml += `  <recv request="UPDATE"><action>${checks.ereg('o=mcu 1 4', 'body')}</action></recv>\n${okToRequest(SDP.replace('o=sipp 1 1', 'o=sipp 1 4'))}`;
      continue;
    }
    if (step === 'answer-info') {
      xml += `  <recv request="INFO"><action>${checks.ereg('Content-Type: *application/media_control\\+xml', 'msg')}${checks.ereg('picture_fast_update', 'body')}</action></recv>\n${okToRequest()}`;
      continue;
    }
    xml += '  <pause milliseconds="200"/>\n';
    if (step === 'fast-update') {
      xml += request(plan.user, 'INFO', ++cseq, ['Content-Type: application/media_control+xml'], FAST_UPDATE);
      xml += '  <recv response="200"/>\n';
    } else if (step === 'update') {
      xml += request(
        plan.user,
        'UPDATE',
        ++cseq,
        ['Content-Type: application/sdp'],
        SDP.replace('o=sipp 1 1', 'o=sipp 1 3'),
      );
      xml += `  <recv response="200"><action>${checks.ereg('o=mcu 1 3', 'body')}</action></recv>\n`;
    } else {
      xml += request(
        plan.user,
        'INVITE',
        ++cseq,
        ['Content-Type: application/sdp'],
        SDP.replace('o=sipp 1 1', 'o=sipp 1 2'),
      );
      xml += '  <recv response="100" optional="true"/>\n  <recv response="200"/>\n';
      xml += request(plan.user, 'ACK', cseq, [])
        .replace(' retrans="500"', '')
        .replace('Content-Length: [len]', 'Content-Length: 0');
    }
  }
  if (plan.end === 'hang-up') {
    xml += `  <pause milliseconds="${plan.holdMs ?? 500}"/>\n`;
    xml += request(plan.user, 'BYE', cseq + 1, []);
    xml += '  <recv response="200"/>\n';
    if (plan.orRefused !== undefined) {
      xml += '  <nop next="done"/>\n  <label id="refused"/>\n';
      xml += `${ackOfRefusal(plan.user, xml)}  <label id="done"/>\n`;
    }
  } else {
    xml += `  <recv request="BYE" timeout="30000">${plan.byeReason ? `<action>${checks.ereg(`Reason: *SIP;.*${plan.byeReason}`, 'msg')}</action>` : ''}</recv>\n${okToRequest()}`;
  }
  xml += '  <timewait milliseconds="300"/>\n';
  xml += `${checks.reference()}</scenario>\n`;
  return { xml };
}
