import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeG711 } from '../../src/media/codec/g711';
import { InbandDtmfDetector } from '../../src/media/dtmf/inband-dtmf-detector';
import { TelephoneEventDecoder } from '../../src/media/dtmf/telephone-event-decoder';
import { parseRtpPacket } from '../../src/media/rtp/rtp-packet';
import { writeInbandDtmfCaptures } from '../fixtures/media/inband-dtmf-capture';
import { readUdpPcap } from './pcap-reader';

/** A SIPp UAC that calls, then plays the generated in-band capture and one of SIPp's RFC 2833 captures. */
function uacScenario(inband: string, rfc2833: string): string {
  const headers = (method: string, cseq: string, extra = ''): string =>
    [
      `${method} sip:conf@[remote_ip]:[remote_port] SIP/2.0`,
      'Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]',
      'From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]',
      `To: <sip:conf@[remote_ip]:[remote_port]>${extra}`,
      'Call-ID: [call_id]',
      `CSeq: ${cseq}`,
      'Contact: sip:sipp@[local_ip]:[local_port]',
      'Max-Forwards: 70',
    ].join('\n');
  const sdp = [
    'v=0',
    'o=user1 1 1 IN IP[local_ip_type] [local_ip]',
    's=-',
    'c=IN IP[media_ip_type] [media_ip]',
    't=0 0',
    'm=audio [media_port] RTP/AVP 0 101',
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:101 telephone-event/8000',
  ].join('\n');
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="plays confgate test captures">
  <send retrans="500"><![CDATA[
${headers('INVITE', '1 INVITE')}
Content-Type: application/sdp
Content-Length: [len]

${sdp}
  ]]></send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="200"/>
  <send><![CDATA[
${headers('ACK', '1 ACK', '[peer_tag_param]')}
Content-Length: 0

  ]]></send>
  <nop><action><exec play_pcap_audio="${inband}"/></action></nop>
  <pause milliseconds="2800"/>
  <nop><action><exec play_pcap_audio="${rfc2833}"/></action></nop>
  <pause milliseconds="300"/>
  <send retrans="500"><![CDATA[
${headers('BYE', '2 BYE', '[peer_tag_param]')}
Content-Length: 0

  ]]></send>
  <recv response="200"/>
</scenario>
`;
}

describe('SIPp play_pcap_audio with the test captures', () => {
  test('SIPp plays the generated in-band capture and its own RFC 2833 capture: on the wire they decode to 5387#8688# and 5', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-sipp-'));
    try {
      const captures = writeInbandDtmfCaptures(dir);
      writeFileSync(join(dir, 'uac.xml'), uacScenario(captures.both, '/usr/share/sip-tester/dtmf_2833_5.pcap'));
      const wire = join(dir, 'wire.pcap');
      // Foreign captures are played only inside a private network namespace with just loopback up.
      const script = [
        'set -e',
        'ip link set lo up',
        `dumpcap -q -P -i lo -f "udp and src port 6000 and dst port 7000" -w ${wire} -a duration:25 2>/dev/null &`,
        'CAPTURE=$!',
        // dumpcap creates the file once it captures; start the call only then.
        `for i in $(seq 50); do [ -s ${wire} ] && break; sleep 0.1; done`,
        'timeout 15 sipp -sn uas -i 127.0.0.1 -p 5070 -mp 7000 -m 1 -nostdin >/dev/null 2>&1 &',
        'UAS=$!',
        'sleep 0.3',
        `timeout 15 sipp 127.0.0.1:5070 -sf ${join(dir, 'uac.xml')} -i 127.0.0.1 -p 5060 -mp 6000 -m 1 -nostdin >/dev/null 2>&1`,
        // The built-in UAS lingers a few seconds after the BYE; its work is done.
        'kill $UAS 2>/dev/null || true',
        'wait $UAS || true',
        'sleep 0.2',
        'kill -INT $CAPTURE',
        'wait $CAPTURE || true',
      ].join('\n');
      execFileSync('unshare', ['-n', 'sh', '-c', script], { cwd: dir, stdio: 'ignore', timeout: 30_000 });

      const heard: string[] = [];
      const detector = new InbandDtmfDetector((d) => heard.push(d));
      const events = new TelephoneEventDecoder();
      let audioPackets = 0;
      for (const datagram of readUdpPcap(readFileSync(wire))) {
        const packet = parseRtpPacket(datagram.payload);
        if (typeof packet === 'string') continue;
        if (packet.payloadType === 0) {
          audioPackets++;
          detector.push(decodeG711('PCMU', packet.payload));
        } else if (packet.payloadType === 101) {
          const event = events.push(packet.timestamp, packet.payload, datagram.timeUs / 1000);
          if (event) heard.push(`[${event.digit}]`);
        }
      }
      expect(audioPackets).toBe(125);
      expect(heard.join('')).toBe('5387#8688#[5]');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
