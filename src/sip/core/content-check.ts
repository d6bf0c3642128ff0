import type { Rejection, SipRequest } from '../message';
import type { CorePolicy } from './core-policy';

/**
 * Content processing (RFC 3261 §8.2.3): a body of a type or encoding this UAS does not understand
 * gets 415 Unsupported Media Type with Accept / Accept-Encoding listing what it does (RFC 4475
 * §3.3.6 `invut`). Bodies marked optional with `Content-Disposition: ...;handling=optional`
 * (§20.11) are ignored instead.
 */
export function checkContent(request: SipRequest, policy: CorePolicy): Rejection | undefined {
  if (request.body.length === 0 || request.method === 'ACK') return undefined;
  const disposition = request.headers.get('content-disposition');
  if (disposition !== undefined && /;\s*handling\s*=\s*optional/i.test(disposition)) return undefined;
  const type = request.contentType;
  if (type !== undefined && !policy.accept.includes(type)) {
    return { status: 415, reason: 'Unsupported Media Type', headers: [['Accept', policy.accept.join(', ')]] };
  }
  for (const encoding of request.headers.getAll('content-encoding')) {
    if (!policy.acceptEncoding.includes(encoding.toLowerCase())) {
      return {
        status: 415,
        reason: 'Unsupported Content-Encoding',
        headers: [['Accept-Encoding', policy.acceptEncoding.join(', ')]],
      };
    }
  }
  return undefined;
}

/**
 * Accept check for requests confgate answers with a body (RFC 3261 §21.4.7): when the request's
 * Accept lists types and none matches `produces` (e.g. `application/sdp` for INVITE), the answer
 * is 406 Not Acceptable (RFC 4475 §3.3.15 `sdp01`). No Accept means `application/sdp` (§20.1).
 */
export function checkAccept(request: SipRequest, produces: string): Rejection | undefined {
  const accepted = request.headers
    .getAll('accept')
    .map((a) => a.split(';')[0].trim().toLowerCase())
    .filter((a) => a.length > 0);
  if (accepted.length === 0) return undefined;
  const [type] = produces.split('/');
  const ok = accepted.some((a) => a === produces || a === '*/*' || a === type + '/*');
  return ok ? undefined : { status: 406, reason: 'Not Acceptable', headers: [['Accept', produces]] };
}
