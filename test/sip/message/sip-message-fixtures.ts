import {
  parseMessage,
  rejectionForParseFailure,
  validateRequest,
  validateResponse,
  type SipRequest,
} from '../../../src/sip/message';

/** Joins lines with CRLF and ends the head with an empty line; `body` follows as is. */
export function sip(lines: string[], body = ''): Buffer {
  return Buffer.from(lines.join('\r\n') + '\r\n\r\n' + body, 'utf8');
}

const METHODS = new Set(['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'INFO', 'UPDATE']);

/**
 * What a UAS does with the bytes: `accept`, `drop` (nothing can be answered), or the status and
 * reason phrase it answers with. Responses are `accept` or `drop`.
 */
export function verdict(bytes: Buffer): 'accept' | 'drop' | { status: number; reason: string } {
  const outcome = parseMessage(bytes);
  if (!outcome.ok) {
    const answer = rejectionForParseFailure(outcome);
    return answer ? { status: answer.rejection.status, reason: answer.rejection.reason } : 'drop';
  }
  const message = outcome.value;
  if (!message.isRequest()) return validateResponse(message) ? 'drop' : 'accept';
  const rejection = validateRequest(message, { methods: METHODS });
  return rejection ? { status: rejection.status, reason: rejection.reason } : 'accept';
}

/** Parses bytes that must be a valid request. */
export function request(bytes: Buffer): SipRequest {
  const outcome = parseMessage(bytes);
  if (!outcome.ok) throw outcome.error;
  if (!outcome.value.isRequest()) throw new Error('not a request');
  return outcome.value;
}

/** A typical INVITE from a room system over loopback, with SDP. */
export const LOOPBACK_INVITE = sip(
  [
    'INVITE sip:4021@127.0.0.1:5060 SIP/2.0',
    'Via: SIP/2.0/UDP 127.0.0.2:5062;branch=z9hG4bK-d8754z-1f2e3d;rport',
    'Max-Forwards: 70',
    'Contact: <sip:room-12@127.0.0.2:5062;transport=udp>',
    'To: <sip:4021@127.0.0.1>',
    'From: "Room 12" <sip:room-12@127.0.0.2>;tag=a73kszlfl',
    'Call-ID: 3c26b8a1e5f0-4d1c@127.0.0.2',
    'CSeq: 1 INVITE',
    'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE',
    'Supported: timer, replaces',
    'Session-Expires: 1800',
    'User-Agent: RoomSystem/9.1',
    'Content-Type: application/sdp',
    'Content-Length: 211',
  ],
  [
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
    '',
  ].join('\r\n'),
);
