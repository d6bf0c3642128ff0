import type { RtpEndpointAddress } from './rtp-endpoint-address';
import { looksLikeRtcp, parseRtpPacket, type RtpPacket } from './rtp-packet';
import type { RtpSocketPair } from './rtp-socket-pair';

export type { RtpEndpointAddress } from './rtp-endpoint-address';

/** Counters a call record or a test reads. */
export interface RtpSessionStats {
  received: number;
  sent: number;
  /** Sent datagrams the kernel refused (socket buffer full, ICMP error pending); native backend only, dgram queues instead. */
  sendDropped: number;
  /** Datagrams on the RTP port that were not RTP version 2, or too large to be ours. */
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
 * Once latched, the RTP socket is pinned (connected) to the caller: sends skip the per-packet
 * address handling, and the kernel itself drops datagrams from other sources. The socket I/O is
 * the pair's backend's (dgram or native); this logic is the same for both.
 */
export class RtpSession {
  private remote: RtpEndpointAddress | undefined;
  private latched: RtpEndpointAddress | undefined;
  readonly stats: RtpSessionStats = {
    received: 0,
    sent: 0,
    sendDropped: 0,
    malformed: 0,
    foreignSource: 0,
    rtcp: 0,
    handlerErrors: 0,
  };

  constructor(
    private readonly sockets: RtpSocketPair,
    private readonly onPacket: (packet: RtpPacket) => void,
  ) {
    sockets.listen({
      rtp: (datagram, address, port) => this.receive(datagram, address, port),
      rtcp: () => this.stats.rtcp++,
      dropped: (count) => (this.stats.sendDropped += count),
      oversize: () => this.stats.malformed++,
    });
  }

  get port(): number {
    return this.sockets.port;
  }

  /** Which RTP I/O backend carries this call. */
  get backend(): RtpSocketPair['backend'] {
    return this.sockets.backend;
  }

  /** The address from the peer's SDP; undefined (hold) sends nothing until the peer's RTP arrives. */
  setRemote(remote: RtpEndpointAddress | undefined): void {
    this.remote = remote;
    if (this.latched !== undefined) {
      this.latched = undefined;
      this.sockets.pin(undefined);
    }
  }

  /** Where our packets go now: the latched source, else the SDP address. */
  get destination(): RtpEndpointAddress | undefined {
    return this.latched ?? this.remote;
  }

  /**
   * Sends one datagram. Returns true when the socket still holds it after the call, so the caller
   * must not overwrite that buffer (OutboundRtpStream re-uses its buffer); see RtpSocketPair.send.
   */
  send(datagram: Uint8Array): boolean {
    const to = this.latched ?? this.remote;
    if (!to) return false;
    this.stats.sent++;
    return this.sockets.send(datagram, to);
  }

  /** Stops receiving and frees the sockets and ports; resolves when they are closed. */
  close(): Promise<void> {
    this.sockets.listen(undefined);
    return this.sockets.close();
  }

  private receive(datagram: Uint8Array, address: string, port: number): void {
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
    if (this.latched === undefined) {
      this.latched = { address, port };
      this.sockets.pin(this.latched);
    } else if (this.latched.port !== port || this.latched.address !== address) {
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
