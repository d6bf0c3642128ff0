/** The transport protocols confgate speaks (RFC 3261 §18; TLS per §26.2). */
export type TransportProtocol = 'udp' | 'tcp' | 'tls';

/** Whether a protocol delivers reliably, which turns retransmission timers off (§17.1.1.2, §17.2.1). */
export function isReliable(protocol: TransportProtocol): boolean {
  return protocol !== 'udp';
}

/** The Via transport token for a protocol (§20.42). */
export function viaTransport(protocol: TransportProtocol): string {
  return protocol.toUpperCase();
}

/** A TCP or TLS connection as flows and destinations carry it: something to write a message back over. */
export interface FlowConnection {
  readonly isOpen: boolean;
  /** Writes one serialized message; false when the connection is already gone. */
  write(data: Buffer): boolean;
}

/**
 * The path one message came in on: which transport, which local socket, which peer, and for TCP/TLS
 * the connection itself, so responses and in-dialog requests can go back over it (§18.2.2, RFC 5923's
 * connection reuse in spirit).
 */
export interface Flow {
  readonly protocol: TransportProtocol;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;
  readonly connection?: FlowConnection;
}

/** Where one message goes: a protocol and peer, and for TCP/TLS possibly a connection to reuse. */
export interface Destination {
  readonly protocol: TransportProtocol;
  readonly host: string;
  readonly port: number;
  readonly connection?: FlowConnection;
}

/**
 * Back where a message came from: the packet's source address and port over the same transport and,
 * for TCP/TLS, the same connection (§18.2.2). Used where the Via cannot be trusted with routing (a
 * rejected request) and for the peer of a UAS dialog.
 */
export function flowDestination(flow: Flow): Destination {
  return { protocol: flow.protocol, host: flow.remoteAddress, port: flow.remotePort, connection: flow.connection };
}
