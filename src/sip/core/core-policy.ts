/**
 * What this element implements, from which the core rules answer (RFC 3261 §8.2, §11.2):
 * methods for 501 and Allow, option-tags for 420 and Supported, body types for 415 and Accept.
 */
export interface CorePolicy {
  /** Methods handled (§8.2.1); anything else gets 501. */
  methods: ReadonlySet<string>;
  /** Option-tags supported (§8.2.2.3, §20.37), e.g. `timer`, `replaces`. */
  supported: readonly string[];
  /** Body types accepted in requests (§8.2.3), e.g. `application/sdp`. */
  accept: readonly string[];
  /** Body encodings accepted (§20.2); `identity` means none. */
  acceptEncoding: readonly string[];
}

/** confgate's policy: the methods of a B2BUA with session timers (RFC 4028) and SDP bodies. */
export const CONFGATE_POLICY: CorePolicy = {
  methods: new Set(['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'INFO', 'UPDATE', 'NOTIFY', 'REFER']),
  supported: ['timer'],
  // INFO carries DTMF in both the Cisco (dtmf-relay) and the bare (dtmf) form; NOTIFY after REFER carries sipfrag.
  accept: [
    'application/sdp',
    'application/dtmf-relay',
    'application/dtmf',
    'application/media_control+xml',
    'message/sipfrag',
    'multipart/mixed',
  ],
  acceptEncoding: ['identity'],
};
