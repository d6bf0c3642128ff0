/**
 * TPKT framing of H.225.0 call signalling and H.245 over TCP (RFC 1006 §6, H.225.0 §7.1.1):
 * version 3, a reserved octet, a 16-bit length that counts the 4-octet header.
 */
import { WireError } from './wire-error';

export const TPKT_HEADER = 4;
const TPKT_VERSION = 3;

/** Wraps one payload in a TPKT header. */
export function frameTpkt(payload: Uint8Array): Uint8Array {
  const length = payload.length + TPKT_HEADER;
  if (length > 0xffff) throw new WireError('tpkt', `payload of ${payload.length} octets does not fit a TPKT`);
  const out = new Uint8Array(length);
  out.set([TPKT_VERSION, 0, length >> 8, length & 0xff]);
  out.set(payload, TPKT_HEADER);
  return out;
}

/** Payload of exactly one complete TPKT frame. */
export function unframeTpkt(frame: Uint8Array): Uint8Array {
  const payloads = new TpktReassembler().push(frame);
  if (payloads.length !== 1 || frame.length !== TPKT_HEADER + payloads[0]!.length) {
    throw new WireError(
      'tpkt',
      `expected exactly one complete frame in ${frame.length} octets, found ${payloads.length === 0 ? 'none' : `${payloads.length} frame(s) or trailing octets`}`,
    );
  }
  return payloads[0]!;
}

/**
 * Cuts a TCP byte stream into TPKT payloads: a frame split over several segments is held until
 * complete, and a segment carrying several frames yields them all. A header that is not TPKT
 * throws {@link WireError}; the stream cannot be resynchronised after that, so the caller closes it.
 * An empty TPKT (length 4) is a keep-alive (H.225.0 §7.1.1) and yields an empty payload.
 */
export class TpktReassembler {
  private pending: Uint8Array = new Uint8Array(0);

  /**
   * @param maxLength the longest frame (header included) accepted: a longer one throws
   * {@link WireError} as soon as its header arrives, before its body is buffered.
   */
  constructor(private readonly maxLength = 0xffff) {}

  /** Bytes received but not yet forming a complete frame. */
  get buffered(): number {
    return this.pending.length;
  }

  push(segment: Uint8Array): Uint8Array[] {
    let buf = segment;
    if (this.pending.length > 0) {
      buf = new Uint8Array(this.pending.length + segment.length);
      buf.set(this.pending);
      buf.set(segment, this.pending.length);
    }
    const out: Uint8Array[] = [];
    let at = 0;
    while (buf.length - at >= TPKT_HEADER) {
      if (buf[at] !== TPKT_VERSION)
        throw new WireError('tpkt', `version ${buf[at]} at stream offset ${at}, expected 3`);
      const length = (buf[at + 2]! << 8) | buf[at + 3]!;
      if (length < TPKT_HEADER) throw new WireError('tpkt', `length ${length} is shorter than its header`);
      if (length > this.maxLength)
        throw new WireError('tpkt', `length ${length} is over the ${this.maxLength} octets accepted`);
      if (buf.length - at < length) break;
      out.push(buf.slice(at + TPKT_HEADER, at + length));
      at += length;
    }
    if (at < buf.length && buf[at] !== TPKT_VERSION)
      throw new WireError('tpkt', `version ${buf[at]} at stream offset ${at}, expected 3`);
    this.pending = buf.slice(at);
    return out;
  }
}
