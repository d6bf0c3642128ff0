/**
 * What identifies one call on the wire, kept for its whole life: the Q.931 call reference value
 * (Q.931 §4.3; the answering side sets the flag bit), the H.225.0 conferenceID and callIdentifier
 * (H.225.0 §7.3.1), echoed in every message confgate sends about the call.
 */
export interface CallKeys {
  callReference: number;
  conferenceId: Uint8Array;
  /** Absent only from a version 1 caller. */
  callIdentifier: Uint8Array | undefined;
}

/** The callIdentifier as the call's id in logs and records (32 hex digits), or the conferenceID's for a version 1 caller. */
export function callIdOf(keys: CallKeys): string {
  return Buffer.from(keys.callIdentifier ?? keys.conferenceId).toString('hex');
}
