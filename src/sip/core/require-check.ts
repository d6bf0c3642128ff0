import type { Rejection, SipRequest } from '../message';

/**
 * Require inspection (RFC 3261 §8.2.2.3): option-tags in Require that this UAS does not support
 * get 420 Bad Extension with an Unsupported header listing them. Not applied to CANCEL, nor to
 * ACK (whose Require must match the INVITE's, §8.2.2.3). Proxy-Require is for proxies and ignored
 * here (RFC 4475 §3.3.5).
 */
export function checkRequire(request: SipRequest, supported: readonly string[]): Rejection | undefined {
  if (request.method === 'CANCEL' || request.method === 'ACK') return undefined;
  const unknown = request
    .optionTags('Require')
    .filter((tag) => !supported.some((s) => s.toLowerCase() === tag.toLowerCase()));
  if (unknown.length === 0) return undefined;
  return { status: 420, reason: 'Bad Extension', headers: [['Unsupported', unknown.join(', ')]] };
}
