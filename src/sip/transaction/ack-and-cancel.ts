import { Headers } from '../message/headers';
import { SipRequest, type SipResponse } from '../message/sip-message';

/**
 * A request in the INVITE's own transaction (ACK for a non-2xx, CANCEL): the INVITE's Request-URI,
 * Call-ID, From, CSeq number and Route headers, `to` as given, CSeq method `method`, no body.
 */
function sameTransactionRequest(
  method: 'ACK' | 'CANCEL',
  invite: SipRequest,
  to: string,
  via: string | undefined,
): SipRequest {
  const h = new Headers();
  if (via !== undefined) h.append('Via', via);
  h.append('Max-Forwards', '70');
  for (const r of invite.headers.getAll('route')) h.append('Route', r);
  h.append('From', invite.headers.get('from')!);
  h.append('To', to);
  h.append('Call-ID', invite.callId);
  h.append('CSeq', `${invite.cseq.seq} ${method}`);
  return new SipRequest(method, invite.uri, h);
}

/**
 * The ACK an INVITE client transaction sends for a 300–699 response (RFC 3261 §17.1.1.3): same
 * Request-URI, Call-ID, From, CSeq number and top Via (hence the same branch) as the INVITE, the
 * response's To (with its tag), the INVITE's Route headers, CSeq method ACK, no body.
 */
export function ackForNon2xx(invite: SipRequest, response: SipResponse): SipRequest {
  return sameTransactionRequest('ACK', invite, response.headers.get('to')!, invite.via.toString());
}

/**
 * The CANCEL of an INVITE (RFC 3261 §9.1): same Request-URI, Call-ID, To, From, CSeq number and
 * Route as the INVITE, CSeq method CANCEL. The caller adds the INVITE's top Via (same branch).
 */
export function cancelFor(invite: SipRequest): SipRequest {
  return sameTransactionRequest('CANCEL', invite, invite.headers.get('to')!, undefined);
}
