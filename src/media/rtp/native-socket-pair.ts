import { RECORD, type NativeRtpIo, type NativeSocketOwner } from './native-rtp-io';
import type { RtpEndpointAddress } from './rtp-endpoint-address';
import type { RtpSocketBackend } from './rtp-socket-backend';
import type { RtpSocketListener, RtpSocketPair } from './rtp-socket-pair';

/** The RTP side: keeps the last source address as text, so a steady stream costs no string per packet. */
class RtpOwner implements NativeSocketOwner {
  listener: RtpSocketListener | undefined;
  private lastFamily = -1;
  private readonly lastWords = new Int32Array(4);
  private lastAddress = '';

  constructor(
    readonly id: number,
    private readonly io: NativeRtpIo,
  ) {}

  received(records: Int32Array, at: number, data: Uint8Array): void {
    const listener = this.listener;
    if (!listener) return;
    const length = records[at + RECORD.length]!;
    if (length < 0) {
      listener.oversize();
      return;
    }
    const family = records[at + RECORD.family]!;
    const port = records[at + RECORD.port]!;
    const a = at + RECORD.address;
    const words = this.lastWords;
    if (
      family !== this.lastFamily ||
      records[a] !== words[0] ||
      (family === 6 && (records[a + 1] !== words[1] || records[a + 2] !== words[2] || records[a + 3] !== words[3]))
    ) {
      this.lastFamily = family;
      words.set(records.subarray(a, a + 4));
      this.lastAddress = this.io.addressOf(records, at);
    }
    const offset = records[at + RECORD.offset]!;
    listener.rtp(data.subarray(offset, offset + length), this.lastAddress, port);
  }

  sendFailed(): void {
    this.listener?.dropped(1);
  }
}

/** The RTCP side: counted, not parsed (the IVR needs no reception reports). */
class RtcpOwner implements NativeSocketOwner {
  listener: RtpSocketListener | undefined;
  constructor(readonly id: number) {}
  received(): void {
    this.listener?.rtcp();
  }
  sendFailed(): void {
    // Nothing is sent on the RTCP socket.
  }
}

/**
 * The RTP socket pair on the native addon (native/rtp-io): sockets owned by C++, sends batched per
 * pacing tick, receives batched per event-loop wake-up (see NativeRtpIo).
 */
class NativeRtpSocketPair implements RtpSocketPair {
  readonly backend = 'native';
  private readonly rtp: RtpOwner;
  private readonly rtcp: RtcpOwner;
  private pinned: RtpEndpointAddress | undefined;
  /** The destination record of the last unconnected send, re-built only when the destination changes. */
  private destinationOf: RtpEndpointAddress | undefined;
  private readonly destination: Int32Array;
  private closing: Promise<void> | undefined;

  constructor(
    readonly port: number,
    private readonly io: NativeRtpIo,
    rtpId: number,
    rtcpId: number,
    private readonly onClosed: () => void,
  ) {
    this.rtp = new RtpOwner(rtpId, io);
    this.rtcp = new RtcpOwner(rtcpId);
    this.destination = new Int32Array(io.stride);
    io.attach(this.rtp);
    io.attach(this.rtcp);
  }

  listen(listener: RtpSocketListener | undefined): void {
    this.rtp.listener = listener;
    this.rtcp.listener = listener;
  }

  pin(peer: RtpEndpointAddress | undefined): void {
    if (this.closing) return;
    // connect(2) on a UDP socket is synchronous and may be redone to another peer.
    this.pinned = peer !== undefined && this.io.connect(this.rtp.id, peer) === 0 ? peer : undefined;
    if (peer === undefined) this.io.connect(this.rtp.id);
  }

  send(datagram: Uint8Array, to: RtpEndpointAddress): boolean {
    if (this.closing) return false;
    if (to === this.pinned) {
      this.io.queueSend(this.rtp.id, datagram, undefined);
      return false;
    }
    if (to !== this.destinationOf) {
      if (!this.io.resolve(to.address, to.port, this.destination)) {
        // Not a literal IP (a host name in the SDP): this backend does no DNS.
        this.rtp.listener?.dropped(1);
        return false;
      }
      this.destinationOf = to;
    }
    this.io.queueSend(this.rtp.id, datagram, this.destination);
    return false;
  }

  close(): Promise<void> {
    if (!this.closing) {
      this.listen(undefined);
      // Packets of this call still in the send batch go out first; the id dies with the socket.
      this.io.flush();
      this.io.close(this.rtp.id);
      this.io.close(this.rtcp.id);
      this.onClosed();
      this.closing = Promise.resolve();
    }
    return this.closing;
  }
}

/** The native addon as an RTP I/O backend over `io`. */
export function nativeSocketBackend(io: NativeRtpIo): RtpSocketBackend {
  return {
    kind: 'native',
    async bindPair(port, address, onClosed) {
      // Any bind failure (port taken, bad address, no fd left) skips the port, as with dgram:
      // the caller tries the next one and ends with a 503.
      const rtpId = io.open(address, port);
      if (rtpId < 0) return undefined;
      const rtcpId = io.open(address, port + 1);
      if (rtcpId < 0) {
        io.close(rtpId);
        return undefined;
      }
      return new NativeRtpSocketPair(port, io, rtpId, rtcpId, onClosed);
    },
  };
}
