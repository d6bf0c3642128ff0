import { randomInt } from 'node:crypto';
import { RTP_FIXED_HEADER_BYTES } from './rtp-packet';

/**
 * Our sending side of one call (RFC 3550 §5.1): a random SSRC, random initial sequence number and
 * timestamp (§5.1 asks for random starts), one packet per 20 ms tick.
 *
 * The timestamp advances on every tick, sent or not, because it is the sampling instant of the
 * first sample (§5.1); silence between prompts is not sent, and the first packet after such a gap
 * carries the marker bit that starts a talkspurt (RFC 3551 §4.1).
 *
 * The packet is written in place into one buffer per stream, re-used tick after tick: the pacer
 * sends 50 packets a second per call, and allocating each one was measurable at a thousand calls.
 * A socket that could not send at once keeps the buffer queued: `keepLastPacket()` then makes the
 * next tick write into a fresh buffer.
 */
export class OutboundRtpStream {
  readonly ssrc = randomInt(0, 2 ** 32);
  private sequenceNumber = randomInt(0, 2 ** 16);
  private timestamp = randomInt(0, 2 ** 32);
  private sentLastTick = false;
  private packet: Buffer | undefined;
  packetsSent = 0;

  /** @param payloadType may change during the stream (a re-INVITE chose another codec, RFC 3550 §5.1 allows it). */
  constructor(
    public payloadType: number,
    private readonly samplesPerTick = 160,
  ) {}

  /**
   * The packet for this tick carrying `payload`, or undefined when there is nothing to send (silence).
   * `periods` > 1 after a stall the clock skipped: the timestamp follows real time and the packet
   * starts a new talkspurt. The buffer returned is overwritten by the next call unless
   * `keepLastPacket()` was called.
   */
  next(payload: Uint8Array | undefined, periods = 1): Buffer | undefined {
    if (periods > 1) {
      this.timestamp = (this.timestamp + (periods - 1) * this.samplesPerTick) >>> 0;
      this.sentLastTick = false;
    }
    const timestamp = this.timestamp;
    this.timestamp = (this.timestamp + this.samplesPerTick) >>> 0;
    if (payload === undefined) {
      this.sentLastTick = false;
      return undefined;
    }
    const size = RTP_FIXED_HEADER_BYTES + payload.length;
    let packet = this.packet;
    if (packet === undefined || packet.length !== size) {
      // allocUnsafeSlow: a buffer of its own, not a slice of Node's shared pool kept alive by it.
      this.packet = packet = Buffer.allocUnsafeSlow(size);
      packet[0] = 0x80;
      packet.writeUInt32BE(this.ssrc, 8);
    }
    packet[1] = (this.sentLastTick ? 0 : 0x80) | (this.payloadType & 0x7f);
    packet.writeUInt16BE(this.sequenceNumber, 2);
    packet.writeUInt32BE(timestamp, 4);
    packet.set(payload, RTP_FIXED_HEADER_BYTES);
    this.sequenceNumber = (this.sequenceNumber + 1) & 0xffff;
    this.sentLastTick = true;
    this.packetsSent++;
    return packet;
  }

  /** The last packet returned is still queued for sending: the next one goes into a new buffer. */
  keepLastPacket(): void {
    this.packet = undefined;
  }
}
