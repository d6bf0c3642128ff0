import { createSocket, type Socket } from 'node:dgram';
import type { RtpEndpointAddress } from './rtp-endpoint-address';
import type { RtpSocketBackend } from './rtp-socket-backend';
import type { RtpSocketListener, RtpSocketPair } from './rtp-socket-pair';

/**
 * The RTP socket pair on Node's `dgram`: one libuv UDP handle per socket, one JS callback per
 * received datagram and one `send` per packet. The fallback when the native addon is not there.
 */
class DgramRtpSocketPair implements RtpSocketPair {
  readonly backend = 'dgram';
  /** The RTP socket's connect(2) state; dgram connects asynchronously (it resolves the address first). */
  private connection: 'none' | 'connecting' | 'connected' = 'none';
  private pinned: RtpEndpointAddress | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    readonly port: number,
    private readonly rtp: Socket,
    private readonly rtcp: Socket,
    private readonly onClosed: () => void,
  ) {
    // A send to an unreachable port surfaces as an ICMP error on the socket; the call goes on.
    rtp.on('error', () => undefined);
    rtcp.on('error', () => undefined);
  }

  listen(listener: RtpSocketListener | undefined): void {
    this.rtp.removeAllListeners('message');
    this.rtcp.removeAllListeners('message');
    if (!listener) return;
    this.rtp.on('message', (datagram, from) => listener.rtp(datagram, from.address, from.port));
    this.rtcp.on('message', () => listener.rtcp());
  }

  pin(peer: RtpEndpointAddress | undefined): void {
    if (this.closing) return;
    this.pinned = peer;
    if (this.connection === 'connected') {
      this.rtp.disconnect();
      this.connection = 'none';
    }
    // A connect still in flight is redone in its callback, which sees the pinned peer changed.
    if (peer && this.connection === 'none') this.connect(peer);
  }

  send(datagram: Uint8Array, to: RtpEndpointAddress): boolean {
    if (this.connection === 'connected' && to === this.pinned) {
      this.rtp.send(datagram);
      return this.rtp.getSendQueueCount() > 0;
    }
    // Unconnected: dgram resolves the address on the next tick, holding the buffer until then.
    this.rtp.send(datagram, to.port, to.address);
    return true;
  }

  close(): Promise<void> {
    this.closing ??= Promise.all([closeQuietly(this.rtp), closeQuietly(this.rtcp)]).then(this.onClosed);
    return this.closing;
  }

  private connect(peer: RtpEndpointAddress): void {
    this.connection = 'connecting';
    this.rtp.connect(peer.port, peer.address, () => {
      if (this.closing) return;
      if (this.pinned === peer) this.connection = 'connected';
      else {
        this.rtp.disconnect();
        this.connection = 'none';
        if (this.pinned) this.connect(this.pinned);
      }
    });
  }
}

/** Node's dgram as an RTP I/O backend. */
export const dgramSocketBackend: RtpSocketBackend = {
  kind: 'dgram',
  async bindPair(port, address, onClosed) {
    const type = address.includes(':') ? 'udp6' : 'udp4';
    const rtp = createSocket(type);
    const rtcp = createSocket(type);
    try {
      await bind(rtp, port, address);
      await bind(rtcp, port + 1, address);
    } catch {
      await Promise.all([closeQuietly(rtp), closeQuietly(rtcp)]);
      return undefined;
    }
    return new DgramRtpSocketPair(port, rtp, rtcp, onClosed);
  },
};

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
