import { decodeG711, decodeG711Into, type G711Codec } from '../../src/media/codec/g711';

describe('G.711 table decoding', () => {
  test.each<G711Codec>(['PCMU', 'PCMA'])(
    '%s: every code word decodes into the reused buffer as alawmulaw decodes it',
    (codec) => {
      const all = Uint8Array.from({ length: 256 }, (_, i) => i);
      const out = new Int16Array(300).fill(7);
      decodeG711Into(codec, all, out);
      expect(Array.from(out.subarray(0, 256))).toEqual(Array.from(decodeG711(codec, all)));
      expect(out[256]).toBe(7);
    },
  );

  test('a payload longer than the buffer is refused, not truncated', () => {
    expect(() => decodeG711Into('PCMU', new Uint8Array(161), new Int16Array(160))).toThrow(RangeError);
  });
});
