import { validateRequest, type Rejection, type SipRequest } from '../message';
import { checkContent } from './content-check';
import type { CorePolicy } from './core-policy';
import { checkMergedRequest, checkOwnVia } from './loop-detection';
import { checkMaxForwards } from './max-forwards';
import { checkRequire } from './require-check';

/** What the transaction layer knows that the core rules need. */
export interface RequestContext {
  /** Branch of the ongoing server transaction with this merged-request key (§8.2.2.2). */
  branchOf?: (key: string) => string | undefined;
  /** The sent-by values confgate writes in its own Vias (§16.3 step 4). */
  localSentBys?: ReadonlySet<string>;
}

/**
 * Runs the UAS checks of RFC 3261 §8.2 in their order on a new request and returns the response to
 * send instead of processing it, or `undefined`: syntax and mandatory headers (400, 505 and 513 come
 * from the parser), method (501), Request-URI scheme (416), Max-Forwards (483), loops and merged
 * requests (482), Require (420), body type and encoding (415). ACK is never rejected (§17.1.1.3);
 * a malformed ACK is to be dropped by the caller, which this reports as a 400 too.
 */
export function rejectRequest(
  request: SipRequest,
  policy: CorePolicy,
  context: RequestContext = {},
): Rejection | undefined {
  const invalid = validateRequest(request, { methods: policy.methods });
  if (invalid) return invalid;
  return (
    checkMaxForwards(request) ??
    (context.localSentBys ? checkOwnVia(request, context.localSentBys) : undefined) ??
    (context.branchOf ? checkMergedRequest(request, context.branchOf) : undefined) ??
    checkRequire(request, policy.supported) ??
    checkContent(request, policy)
  );
}
