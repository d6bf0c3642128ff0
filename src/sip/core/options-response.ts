import { createResponse, serverHeaderValue, type SipRequest, type SipResponse } from '../message';
import type { CorePolicy } from './core-policy';

/**
 * The 200 OK to an OPTIONS request (RFC 3261 §11.2): the capabilities a UA would have for a call —
 * Allow, Accept, Accept-Encoding, Accept-Language and Supported — and Server. MCUs and SBCs use it
 * as a keep-alive ping of confgate. `toTag` is the tag the UAS adds (§8.2.6.2).
 */
export function createOptionsResponse(request: SipRequest, policy: CorePolicy, toTag: string): SipResponse {
  return createResponse(request, 200, 'OK', {
    toTag,
    headers: [
      ['Allow', [...policy.methods].join(', ')],
      ['Accept', policy.accept.join(', ')],
      ['Accept-Encoding', policy.acceptEncoding.join(', ')],
      ['Accept-Language', 'en'],
      ['Supported', policy.supported.join(', ')],
      ['Server', serverHeaderValue()],
    ],
  });
}
