import fc from 'fast-check';
import {
  isNewerSequence,
  isNewerTimestamp,
  looksLikeRtcp,
  parseRtpPacket,
  serializeRtpPacket,
} from '../../src/media/rtp/rtp-packet';

describe('RTP packet (RFC 3550 §5.1)', () => {
  test('round-trips every header field', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.integer({ min: 0, max: 127 }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.uint8Array({ maxLength: 200 }),
        (marker, payloadType, sequenceNumber, timestamp, ssrc, payload) => {
          const packet = { marker, payloadType, sequenceNumber, timestamp, ssrc, payload };
          const parsed = parseRtpPacket(serializeRtpPacket(packet));
          expect(parsed).toEqual({ ...packet, payload: expect.anything() });
          expect(Buffer.from((parsed as { payload: Uint8Array }).payload)).toEqual(Buffer.from(payload));
        },
      ),
    );
  });

  test('skips CSRCs and a header extension, strips padding', () => {
    const header = Buffer.from([0xb2, 0x80 | 8, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3]); // V=2 P=1 X=1 CC=2
    const csrcs = Buffer.alloc(8, 0x11);
    const extension = Buffer.from([0xbe, 0xde, 0, 1, 1, 2, 3, 4]);
    const payload = Buffer.from([9, 9, 9]);
    const padding = Buffer.from([0, 0, 3]);
    const parsed = parseRtpPacket(Buffer.concat([header, csrcs, extension, payload, padding]));
    expect(parsed).toMatchObject({ marker: true, payloadType: 8, sequenceNumber: 1, timestamp: 2, ssrc: 3 });
    expect(Buffer.from((parsed as { payload: Uint8Array }).payload)).toEqual(payload);
  });

  test('malformed datagrams are reported, never thrown', () => {
    expect(parseRtpPacket(Buffer.alloc(5))).toBe('too-short');
    expect(parseRtpPacket(Buffer.alloc(12))).toBe('not-version-2');
    expect(parseRtpPacket(Buffer.from([0x90, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]))).toBe('bad-length');
    expect(parseRtpPacket(Buffer.from([0xa0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]))).toBe('bad-length');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => expect(() => parseRtpPacket(bytes)).not.toThrow()),
    );
  });

  test('RTCP is told apart on a shared port (RFC 5761 §4), serial numbers wrap (RFC 3550 A.1)', () => {
    expect(looksLikeRtcp(Buffer.from([0x80, 200, 0, 6, 0, 0, 0, 1]))).toBe(true);
    expect(looksLikeRtcp(Buffer.from([0x80, 0, 0, 6, 0, 0, 0, 1]))).toBe(false);
    expect(isNewerSequence(2, 0xfffe)).toBe(true);
    expect(isNewerSequence(0xfffe, 2)).toBe(false);
    expect(isNewerTimestamp(100, 0xffffff00)).toBe(true);
    expect(isNewerTimestamp(5, 5)).toBe(false);
  });
});
