import type { Rejection, SipRequest } from '../message';

/**
 * The identity of a request for merged-request detection (RFC 3261 §8.2.2.2): From tag, Call-ID
 * and CSeq. The transaction layer keeps it for each server transaction with the branch it came on.
 */
export function mergedRequestKey(request: SipRequest): string {
  const cseq = request.cseq;
  return (request.fromTag ?? '') + '\n' + request.callId + '\n' + cseq.seq + '\n' + cseq.method;
}

/**
 * Merged request or loop (RFC 3261 §8.2.2.2): a request without To tag whose From tag, Call-ID and
 * CSeq match an ongoing transaction that came on another branch arrived twice by different paths
 * (a fork that merged, or our own request looping back); it gets 482 Loop Detected.
 * `branchOf(key)` gives the branch of the ongoing server transaction with that {@link mergedRequestKey}.
 */
export function checkMergedRequest(
  request: SipRequest,
  branchOf: (key: string) => string | undefined,
): Rejection | undefined {
  if (request.toTag !== undefined || request.method === 'ACK' || request.method === 'CANCEL') return undefined;
  const known = branchOf(mergedRequestKey(request));
  return known !== undefined && known !== request.branch ? { status: 482, reason: 'Loop Detected' } : undefined;
}

/**
 * Loop through this element (RFC 3261 §16.3 step 4, as far as a B2BUA can see it): a request that
 * carries in its Via a sent-by this element puts on its own requests (`localSentBys`, `host:port`
 * as written in our Vias) has been through confgate already and gets 482 Loop Detected.
 */
export function checkOwnVia(request: SipRequest, localSentBys: ReadonlySet<string>): Rejection | undefined {
  if (localSentBys.size === 0 || request.method === 'ACK') return undefined;
  for (const via of request.vias)
    if (localSentBys.has(via.sentBy.toLowerCase())) return { status: 482, reason: 'Loop Detected' };
  return undefined;
}
