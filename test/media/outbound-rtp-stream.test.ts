import { OutboundRtpStream } from '../../src/media/rtp/outbound-rtp-stream';
import { parseRtpPacket, type RtpPacket } from '../../src/media/rtp/rtp-packet';

const parse = (datagram: Uint8Array): RtpPacket => {
  const packet = parseRtpPacket(datagram);
  if (typeof packet === 'string') throw new Error(packet);
  return packet;
};

describe('OutboundRtpStream', () => {
  test('writes each packet in place into one buffer: header fields move on, marker after silence, payload type change', () => {
    const stream = new OutboundRtpStream(0);
    const a = stream.next(new Uint8Array(160).fill(1))!;
    const first = parse(a);
    expect(first).toMatchObject({ marker: true, payloadType: 0, ssrc: stream.ssrc });
    const b = stream.next(new Uint8Array(160).fill(2))!;
    expect(b).toBe(a);
    expect(parse(b)).toMatchObject({
      marker: false,
      sequenceNumber: (first.sequenceNumber + 1) & 0xffff,
      timestamp: (first.timestamp + 160) >>> 0,
      ssrc: stream.ssrc,
    });
    expect(parse(b).payload.every((x) => x === 2)).toBe(true);
    expect(stream.next(undefined)).toBeUndefined();
    stream.payloadType = 8;
    expect(parse(stream.next(new Uint8Array(160))!)).toMatchObject({
      marker: true,
      payloadType: 8,
      sequenceNumber: (first.sequenceNumber + 2) & 0xffff,
      timestamp: (first.timestamp + 480) >>> 0,
    });
  });

  test('keepLastPacket: a packet still queued in the socket is not overwritten by the next tick', () => {
    const stream = new OutboundRtpStream(0);
    const queued = stream.next(new Uint8Array(160).fill(1))!;
    const copy = Buffer.from(queued);
    stream.keepLastPacket();
    const next = stream.next(new Uint8Array(160).fill(2))!;
    expect(next).not.toBe(queued);
    expect(queued.equals(copy)).toBe(true);
    expect(parse(next).sequenceNumber).toBe((parse(queued).sequenceNumber + 1) & 0xffff);
  });

  test('a payload of another size gets a buffer of its size', () => {
    const stream = new OutboundRtpStream(0);
    stream.next(new Uint8Array(160));
    expect(stream.next(new Uint8Array(80))!.length).toBe(92);
  });
});
