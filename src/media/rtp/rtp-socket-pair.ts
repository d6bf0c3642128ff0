import { createSocket, type Socket } from 'node:dgram';
import type { RtpPortAllocator } from './rtp-port-allocator';

/** One call's RTP socket on an even port and its RTCP socket on the port above (RFC 3550 §11). */
export interface RtpSocketPair {
  port: number;
  rtp: Socket;
  rtcp: Socket;
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

/**
 * Binds an RTP/RTCP pair on the next free ports of `allocator`. A port some other process holds
 * is skipped (given back to the allocator, which moves on round-robin) up to `attempts` times.
 */
export async function openRtpSocketPair(allocator: RtpPortAllocator, bindAddress: string, attempts = 16): Promise<RtpSocketPair> {
  const type = bindAddress.includes(':') ? 'udp6' : 'udp4';
  for (let i = 0; i < attempts; i++) {
    const port = allocator.allocate();
    if (port === undefined) break;
    const rtp = createSocket(type);
    const rtcp = createSocket(type);
    try {
      await bind(rtp, port, bindAddress);
      await bind(rtcp, port + 1, bindAddress);
    } catch {
      await Promise.all([closeQuietly(rtp), closeQuietly(rtcp)]);
      allocator.release(port);
      continue;
    }
    let closing: Promise<void> | undefined;
    return {
      port,
      rtp,
      rtcp,
      close() {
        closing ??= Promise.all([closeQuietly(rtp), closeQuietly(rtcp)]).then(() => allocator.release(port));
        return closing;
      },
    };
  }
  throw new RtpPortsExhaustedError(`no free RTP port pair in ${allocator.min}-${allocator.max} (${allocator.inUse} in use)`);
}

function bind(socket: Socket, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ port, address, exclusive: true }, () => {
      socket.off('error', reject);
      resolve();
    });
  });
}

function closeQuietly(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      // Already closed, or never bound: nothing left to free.
      resolve();
    }
  });
}
