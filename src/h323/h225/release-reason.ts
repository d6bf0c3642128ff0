import type { ReleaseCompleteReason } from '../generated/h225-types';

/**
 * H.225.0 Table 5 read backwards: the `ReleaseCompleteReason` that corresponds to a Q.850 cause,
 * for the UUIE of a Release Complete whose Cause IE says the same; `undefinedReason` (cause 31)
 * for a cause the table does not list.
 */
const REASON_BY_CAUSE: ReadonlyMap<number, ReleaseCompleteReason> = new Map<number, ReleaseCompleteReason>([
  [3, { unreachableDestination: null }],
  [16, { destinationRejection: null }],
  [17, { inConf: null }],
  [20, { calledPartyNotRegistered: null }],
  [28, { badFormatAddress: null }],
  [34, { noBandwidth: null }],
  [38, { unreachableGatekeeper: null }],
  [41, { adaptiveBusy: null }],
  [42, { gatewayResources: null }],
  [47, { gatekeeperResources: null }],
  [88, { invalidRevision: null }],
  [111, { noPermission: null }],
]);

/** The ReleaseCompleteReason matching a Q.850 cause value. */
export function releaseReasonFor(cause: number): ReleaseCompleteReason {
  return REASON_BY_CAUSE.get(cause) ?? { undefinedReason: null };
}

/** Q.850 cause values confgate itself uses when the signalling goes wrong (Q.850 Table 1). */
export const Q850 = {
  normalClearing: 16,
  invalidMessage: 95,
  messageTypeNotCompatible: 98,
  responseToStatusEnquiry: 30,
  protocolError: 111,
  facilityRejected: 29,
  temporaryFailure: 41,
} as const;
