import type { RemoteInfo } from 'node:dgram';
import { looksLikeRtcp, parseRtpPacket, type RtpPacket } from './rtp-packet';
import type { RtpSocketPair } from './rtp-socket-pair';

export interface RtpEndpointAddress {
  address: string;
  port: number;
}

/** Counters a call record or a test reads. */
export interface RtpSessionStats {
  received: number;
  sent: number;
  /** Datagrams on the RTP port that were not RTP version 2. */
  malformed: number;
  /** RTP from another source than the latched one (RTP injection, stale streams). */
  foreignSource: number;
  /** RTCP packets received (RTCP port, or multiplexed on the RTP port); ignored: the IVR needs no reception reports. */
  rtcp: number;
  /** Packets whose handling threw (a bug above us): counted instead of crashing the process from a socket event. */
  handlerErrors: number;
}

/**
 * The RTP flow of one call over its socket pair, with symmetric RTP (RFC 4961) and latching:
 * until the caller's first valid RTP packet arrives we send to the address in its SDP; from then
 * on we send to the address that packet really came from (a NATed caller's public address) and
 * accept RTP from that source only, so a third party cannot hijack or inject into the stream
 * once it runs. A new SDP from the peer (re-INVITE) resets the latch.
 *
 * Once latched, the RTP socket is connected to the caller: sends skip the per-packet address
 * handling, and the kernel itself drops datagrams from other sources.
 */
export class RtpSession {
  private remote: RtpEndpointAddress | undefined;
  private latched: RtpEndpointAddress | undefined;
  /** The RTP socket's connect(2) state: connected once latched (see `latch`). */
  private connection: 'none' | 'connecting' | 'connected' = 'none';
  private closed = false;
  readonly stats: RtpSessionStats = { received: 0, sent: 0, malformed: 0, foreignSource: 0, rtcp: 0, handlerErrors: 0 };

  constructor(
    private readonly sockets: RtpSocketPair,
    private readonly onPacket: (packet: RtpPacket) => void,
  ) {
    sockets.rtp.on('message', (datagram, from) => this.receive(datagram, from));
    sockets.rtcp.on('message', () => this.stats.rtcp++);
    // A send to an unreachable port surfaces as an ICMP error on the socket; the call goes on.
    sockets.rtp.on('error', () => undefined);
    sockets.rtcp.on('error', () => undefined);
  }

  get port(): number {
    return this.sockets.port;
  }

  /** The address from the peer's SDP; undefined (hold) sends nothing until the peer's RTP arrives. */
  setRemote(remote: RtpEndpointAddress | undefined): void {
    this.remote = remote;
    this.latched = undefined;
    if (this.connection === 'connected') this.sockets.rtp.disconnect();
    // A connect still in flight is undone in its callback, which sees the latch is gone.
    if (this.connection !== 'connecting') this.connection = 'none';
  }

  /** Where our packets go now: the latched source, else the SDP address. */
  get destination(): RtpEndpointAddress | undefined {
    return this.latched ?? this.remote;
  }

  /**
   * Sends one datagram. Returns true when the socket still holds it after the call, so the caller
   * must not overwrite that buffer (OutboundRtpStream re-uses its buffer): a connected socket sends
   * at once unless the kernel's buffer is full; an unconnected one resolves the address first
   * (dgram does it on the next tick), which only happens until the caller's RTP is latched.
   */
  send(datagram: Uint8Array): boolean {
    const socket = this.sockets.rtp;
    if (this.connection === 'connected') {
      socket.send(datagram);
      this.stats.sent++;
      return socket.getSendQueueCount() > 0;
    }
    const to = this.latched ?? this.remote;
    if (!to) return false;
    socket.send(datagram, to.port, to.address);
    this.stats.sent++;
    return true;
  }

  /** Stops receiving and frees the sockets and ports; resolves when they are closed. */
  close(): Promise<void> {
    this.closed = true;
    this.sockets.rtp.removeAllListeners('message');
    this.sockets.rtcp.removeAllListeners('message');
    return this.sockets.close();
  }

  private latch(to: RtpEndpointAddress): void {
    this.latched = to;
    if (this.connection !== 'none') return;
    this.connection = 'connecting';
    this.sockets.rtp.connect(to.port, to.address, () => {
      if (this.closed) return;
      if (this.latched === to) this.connection = 'connected';
      else {
        // The peer's SDP changed while connecting: start over unconnected.
        this.sockets.rtp.disconnect();
        this.connection = 'none';
        if (this.latched) this.latch(this.latched);
      }
    });
  }

  private receive(datagram: Buffer, from: RemoteInfo): void {
    if (looksLikeRtcp(datagram)) {
      // RTCP multiplexed on the RTP port (RFC 5761) although we did not offer it: ignore it too.
      this.stats.rtcp++;
      return;
    }
    const packet = parseRtpPacket(datagram);
    if (typeof packet === 'string') {
      this.stats.malformed++;
      return;
    }
    if (this.latched === undefined) this.latch({ address: from.address, port: from.port });
    else if (this.latched.port !== from.port || this.latched.address !== from.address) {
      this.stats.foreignSource++;
      return;
    }
    this.stats.received++;
    try {
      this.onPacket(packet);
    } catch {
      this.stats.handlerErrors++;
    }
  }
}
