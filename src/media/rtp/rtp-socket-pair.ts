import type { RtpEndpointAddress } from './rtp-endpoint-address';

/** How a backend moves datagrams: `native` (the rtp-io addon) or `dgram` (Node's sockets). */
export type RtpIoBackendKind = 'native' | 'dgram';

/** What a socket pair reports to its session (RtpSession); the only consumer of its datagrams. */
export interface RtpSocketListener {
  /**
   * A datagram on the RTP port. `datagram` is valid only during the call: the native backend reuses
   * its receive buffer for the next batch, so a consumer that keeps bytes copies them.
   */
  rtp(datagram: Uint8Array, address: string, port: number): void;
  /** A datagram on the RTCP port (RFC 3550 §11: the odd port above). */
  rtcp(): void;
  /** Datagrams the kernel refused after `send` accepted them (socket buffer full, pending ICMP error). */
  dropped(count: number): void;
  /** A datagram on the RTP port too large for the backend's receive slot (native: 2 KiB); not RTP we can use. */
  oversize(): void;
}

/**
 * One call's RTP socket on an even port and its RTCP socket on the port above (RFC 3550 §11), as
 * every RTP I/O backend provides it (`dgram-socket-pair.ts`, `native-socket-pair.ts`). The RTP
 * logic (latching, symmetric RTP, foreign sources, counters) lives in RtpSession, not here.
 */
export interface RtpSocketPair {
  readonly port: number;
  /** Which backend moves the datagrams: `native` (the rtp-io addon) or `dgram` (Node's sockets). */
  readonly backend: RtpIoBackendKind;
  /** Sets the one listener (or removes it: datagrams arriving then are discarded). */
  listen(listener: RtpSocketListener | undefined): void;
  /**
   * Restricts the RTP socket to one peer (connect(2)), so sends skip the per-packet address and the
   * kernel drops datagrams from other sources; undefined lifts it. The dgram backend connects
   * asynchronously and sends addressed datagrams meanwhile.
   */
  pin(peer: RtpEndpointAddress | undefined): void;
  /**
   * Sends one datagram on the RTP socket to `to` (pass the pinned object itself to use the
   * connection). Returns true when the backend still holds `datagram` after the call, so the
   * caller must not overwrite it (OutboundRtpStream re-uses its buffer): the native backend copies
   * it into its batch at once; dgram may queue it.
   */
  send(datagram: Uint8Array, to: RtpEndpointAddress): boolean;
  /** Closes both sockets and gives the port back; resolves once both are closed. Safe to call twice. */
  close(): Promise<void>;
}

/** No pair could be bound: the SIP layer answers 503 Service Unavailable (RFC 3261 §21.5.4). */
export class RtpPortsExhaustedError extends Error {
  readonly sipStatus = 503;
  constructor(message: string) {
    super(message);
    this.name = 'RtpPortsExhaustedError';
  }
}
