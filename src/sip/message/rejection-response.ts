import { createResponse } from './message-factory';
import { serverHeaderValue } from './server-identity';
import type { SipRequest, SipResponse } from './sip-message';
import type { Rejection } from './validate';

/** The response carrying a {@link Rejection}, with its headers and the Server header (RFC 3261 §20.35). */
export function createRejectionResponse(request: SipRequest, rejection: Rejection, toTag?: string): SipResponse {
  return createResponse(request, rejection.status, rejection.reason, {
    toTag,
    headers: [...(rejection.headers ?? []), ['Server', serverHeaderValue()]],
  });
}
