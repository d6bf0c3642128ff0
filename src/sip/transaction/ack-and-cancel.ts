import { Headers } from '../message/headers';
import { SipRequest, type SipResponse } from '../message/sip-message';

/**
 * The ACK an INVITE client transaction sends for a 300–699 response (RFC 3261 §17.1.1.3): same
 * Request-URI, Call-ID, From, CSeq number and top Via (hence the same branch) as the INVITE, the
 * response's To (with its tag), the INVITE's Route headers, CSeq method ACK, no body.
 */
export function ackForNon2xx(invite: SipRequest, response: SipResponse): SipRequest {
  const h = new Headers();
  h.append('Via', invite.via.toString());
  h.append('Max-Forwards', '70');
  for (const r of invite.headers.getAll('route')) h.append('Route', r);
  h.append('From', invite.headers.get('from')!);
  h.append('To', response.headers.get('to')!);
  h.append('Call-ID', invite.callId);
  h.append('CSeq', `${invite.cseq.seq} ACK`);
  return new SipRequest('ACK', invite.uri, h);
}

/**
 * The CANCEL of an INVITE (RFC 3261 §9.1): same Request-URI, Call-ID, To, From, CSeq number and
 * Route as the INVITE, CSeq method CANCEL. The caller adds the INVITE's top Via (same branch).
 */
export function cancelFor(invite: SipRequest): SipRequest {
  const h = new Headers();
  h.append('Max-Forwards', '70');
  for (const r of invite.headers.getAll('route')) h.append('Route', r);
  h.append('From', invite.headers.get('from')!);
  h.append('To', invite.headers.get('to')!);
  h.append('Call-ID', invite.callId);
  h.append('CSeq', `${invite.cseq.seq} CANCEL`);
  return new SipRequest('CANCEL', invite.uri, h);
}
