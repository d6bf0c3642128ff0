/**
 * RTP fixed header (RFC 3550 §5.1). Only version 2 exists; CSRCs and a header extension are
 * parsed past (RFC 3550 §5.3.1) so the payload offset is right, but their content is not used.
 */
export interface RtpPacket {
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  payload: Uint8Array;
}

/** Why a datagram is not an RTP packet we can use; the caller counts these and drops the datagram. */
export type RtpParseFailure = 'too-short' | 'not-version-2' | 'bad-length';

/** RFC 3550 §5.1: the fixed header, without CSRCs. */
export const RTP_FIXED_HEADER_BYTES = 12;

/** Parses one datagram as RTP; never throws. */
export function parseRtpPacket(datagram: Uint8Array): RtpPacket | RtpParseFailure {
  if (datagram.length < RTP_FIXED_HEADER_BYTES) return 'too-short';
  const b0 = datagram[0]!;
  if (b0 >> 6 !== 2) return 'not-version-2';
  // Fields are read byte by byte, not through a DataView: this runs for every received packet of
  // every call, and a DataView is one more object per packet.
  let offset = RTP_FIXED_HEADER_BYTES + (b0 & 0x0f) * 4;
  if ((b0 & 0x10) !== 0) {
    // RFC 3550 §5.3.1: 16-bit profile field, 16-bit length in 32-bit words, then the words.
    if (datagram.length < offset + 4) return 'bad-length';
    offset += 4 + ((datagram[offset + 2]! << 8) | datagram[offset + 3]!) * 4;
  }
  let end = datagram.length;
  if ((b0 & 0x20) !== 0) {
    // RFC 3550 §5.1: the last octet of the padding counts the padding octets, itself included.
    const padding = datagram[datagram.length - 1]!;
    if (padding === 0) return 'bad-length';
    end -= padding;
  }
  if (end < offset) return 'bad-length';
  const b1 = datagram[1]!;
  return {
    marker: (b1 & 0x80) !== 0,
    payloadType: b1 & 0x7f,
    sequenceNumber: (datagram[2]! << 8) | datagram[3]!,
    timestamp: ((datagram[4]! << 24) | (datagram[5]! << 16) | (datagram[6]! << 8) | datagram[7]!) >>> 0,
    ssrc: ((datagram[8]! << 24) | (datagram[9]! << 16) | (datagram[10]! << 8) | datagram[11]!) >>> 0,
    payload: datagram.subarray(offset, end),
  };
}

/** Serializes a packet with no padding, CSRC or extension, as confgate sends them. */
export function serializeRtpPacket(packet: RtpPacket): Buffer {
  const out = Buffer.allocUnsafe(RTP_FIXED_HEADER_BYTES + packet.payload.length);
  out[0] = 0x80;
  out[1] = (packet.marker ? 0x80 : 0) | (packet.payloadType & 0x7f);
  out.writeUInt16BE(packet.sequenceNumber & 0xffff, 2);
  out.writeUInt32BE(packet.timestamp >>> 0, 4);
  out.writeUInt32BE(packet.ssrc >>> 0, 8);
  out.set(packet.payload, RTP_FIXED_HEADER_BYTES);
  return out;
}

/**
 * RFC 5761 §4: with RTP and RTCP on one port, RTCP is told apart by its packet type 192..223
 * in the second octet (SR 200, RR 201, SDES 202, BYE 203, APP 204 fall in it).
 */
export function looksLikeRtcp(datagram: Uint8Array): boolean {
  return datagram.length >= 8 && datagram[0]! >> 6 === 2 && datagram[1]! >= 192 && datagram[1]! <= 223;
}

/** RFC 3550 appendix A.1 serial-number comparison: is 16-bit `a` after `b`, across wrap-around. */
export function isNewerSequence(a: number, b: number): boolean {
  return a !== b && ((a - b) & 0xffff) < 0x8000;
}

/** The same comparison for 32-bit RTP timestamps. */
export function isNewerTimestamp(a: number, b: number): boolean {
  return a !== b && (a - b) >>> 0 < 0x80000000;
}
