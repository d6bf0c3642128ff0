import { randomInt } from 'node:crypto';
import { serializeRtpPacket } from './rtp-packet';

/**
 * Our sending side of one call (RFC 3550 §5.1): a random SSRC, random initial sequence number and
 * timestamp (§5.1 asks for random starts), one packet per 20 ms tick.
 *
 * The timestamp advances on every tick, sent or not, because it is the sampling instant of the
 * first sample (§5.1); silence between prompts is not sent, and the first packet after such a gap
 * carries the marker bit that starts a talkspurt (RFC 3551 §4.1).
 */
export class OutboundRtpStream {
  readonly ssrc = randomInt(0, 2 ** 32);
  private sequenceNumber = randomInt(0, 2 ** 16);
  private timestamp = randomInt(0, 2 ** 32);
  private sentLastTick = false;
  packetsSent = 0;

  /** @param payloadType may change during the stream (a re-INVITE chose another codec, RFC 3550 §5.1 allows it). */
  constructor(
    public payloadType: number,
    private readonly samplesPerTick = 160,
  ) {}

  /**
   * The packet for this tick carrying `payload`, or undefined when there is nothing to send (silence).
   * `periods` > 1 after a stall the clock skipped: the timestamp follows real time and the packet
   * starts a new talkspurt.
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
    const packet = serializeRtpPacket({ marker: !this.sentLastTick, payloadType: this.payloadType, sequenceNumber: this.sequenceNumber, timestamp, ssrc: this.ssrc, payload });
    this.sequenceNumber = (this.sequenceNumber + 1) & 0xffff;
    this.sentLastTick = true;
    this.packetsSent++;
    return packet;
  }
}
