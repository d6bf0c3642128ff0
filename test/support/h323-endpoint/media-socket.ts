/**
 * The endpoint's RTP session for one medium (RFC 3550): an RTP and an RTCP UDP socket on loopback that
 * count what arrives (per payload type, keeping G.711 payloads for {@link heardAudio}), and send
 * digit packets (RFC 2833 events or in-band tones) paced in real time.
 */
import { randomInt } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { parseRtpPacket, serializeRtpPacket } from '../../../src/media/rtp/rtp-packet';
import type { MediaPorts } from './fast-start-proposals';
import type { RtpDigitPacket } from './rtp-digits';

/** At most one minute of 20 ms packets is kept for decoding. */
const KEPT_PAYLOADS = 3000;

export interface ReceivedRtp {
  packets: number;
  rtcpPackets: number;
  byPayloadType: Record<number, number>;
}

function bind(host: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(0, host, () => resolve(s));
  });
}

export class MediaSocket {
  readonly received: ReceivedRtp = { packets: 0, rtcpPackets: 0, byPayloadType: {} };
  /** payloads per payload type, in arrival order */
  readonly payloads = new Map<number, Uint8Array[]>();
  private sequence = randomInt(0x10000);
  private readonly timestampBase = randomInt(0x100000000);
  private timestampCursor = 0;
  private readonly ssrc = randomInt(0x100000000);

  private constructor(
    private readonly rtp: Socket,
    private readonly rtcp: Socket,
    readonly host: string,
  ) {
    rtp.on('message', (datagram) => {
      const packet = parseRtpPacket(datagram);
      if (typeof packet === 'string') return;
      this.received.packets++;
      this.received.byPayloadType[packet.payloadType] = (this.received.byPayloadType[packet.payloadType] ?? 0) + 1;
      const kept = this.payloads.get(packet.payloadType) ?? [];
      if (kept.length < KEPT_PAYLOADS) kept.push(Uint8Array.from(packet.payload));
      this.payloads.set(packet.payloadType, kept);
    });
    rtcp.on('message', () => this.received.rtcpPackets++);
  }

  static async open(host: string): Promise<MediaSocket> {
    return new MediaSocket(await bind(host), await bind(host), host);
  }

  get ports(): MediaPorts {
    return { host: this.host, rtp: this.rtp.address().port, rtcp: this.rtcp.address().port };
  }

  /**
   * Sends `packets` with payload type `payloadType` to `to`, each at its `atMs`; timestamps continue
   * after the previous sequence, as one RTP stream (RFC 3550 §5.1).
   */
  async send(
    to: { host: string; port: number },
    payloadType: number,
    packets: readonly RtpDigitPacket[],
  ): Promise<void> {
    const start = Date.now();
    const base = this.timestampBase + this.timestampCursor;
    for (const p of packets) {
      const wait = start + p.atMs - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const datagram = serializeRtpPacket({
        marker: p.marker,
        payloadType,
        sequenceNumber: this.sequence,
        timestamp: (base + p.timestampOffset) >>> 0,
        ssrc: this.ssrc,
        payload: p.payload,
      });
      this.sequence = (this.sequence + 1) & 0xffff;
      await new Promise<void>((resolve, reject) =>
        this.rtp.send(datagram, to.port, to.host, (e) => (e ? reject(e) : resolve())),
      );
    }
    const last = packets[packets.length - 1];
    this.timestampCursor += (last ? last.timestampOffset : 0) + 8 * 200;
  }

  close(): void {
    this.rtp.close();
    this.rtcp.close();
  }
}
