import type { StreamConnection } from './stream-connection';

/** The transport protocols confgate listens on (RFC 3261 §18; TLS per §26.2). */
export type TransportProtocol = 'udp' | 'tcp' | 'tls';

/** Whether a protocol delivers reliably, which turns retransmission timers off (§17.1.1.2, §17.2.1). */
export function isReliable(protocol: TransportProtocol): boolean {
  return protocol !== 'udp';
}

/** The Via transport token for a protocol (§20.42). */
export function viaTransport(protocol: TransportProtocol): string {
  return protocol.toUpperCase();
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
  readonly connection?: StreamConnection;
}

/** Receives each complete message a transport read, with the flow it arrived on. */
export type InboundHandler = (data: Buffer, flow: Flow) => void;

/** Where a transport binds. */
export interface ListenSpec {
  readonly protocol: TransportProtocol;
  readonly host: string;
  readonly port: number;
}
