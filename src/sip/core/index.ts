/** UAS core rules of RFC 3261 §8.2 and §11 as pure functions over messages. */
export { type CorePolicy, CONFGATE_POLICY } from './core-policy';
export { createOptionsResponse } from './options-response';
export { checkMaxForwards, forwardedMaxForwards } from './max-forwards';
export { checkRequire } from './require-check';
export { checkContent, checkAccept } from './content-check';
export { mergedRequestKey, checkMergedRequest, checkOwnVia } from './loop-detection';
export { rejectRequest, type RequestContext } from './request-rejection';
