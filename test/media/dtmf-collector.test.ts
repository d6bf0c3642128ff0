import { DtmfCollector, type CollectedDigit } from '../../src/media/dtmf/dtmf-collector';

function collector(): { c: DtmfCollector; got: CollectedDigit[]; advance: (ms: number) => void } {
  let now = 0;
  const got: CollectedDigit[] = [];
  const c = new DtmfCollector(
    (d) => got.push(d),
    400,
    () => now,
  );
  return { c, got, advance: (ms) => (now += ms) };
}

describe('DtmfCollector', () => {
  test('RFC 4733 with in-band echo of the same presses: one digit per press, echo counted as suppressed', () => {
    const { c, got, advance } = collector();
    for (const d of ['5', '3', '8', '8']) {
      c.offer(d as '5', 'rfc4733');
      advance(40);
      c.offer(d as '5', 'inband');
      advance(200);
    }
    expect(got.map((d) => d.digit).join('')).toBe('5388');
    expect(c.methods).toEqual({
      accepted: { rfc4733: 4, 'sip-info': 0, inband: 0 },
      suppressed: 4,
      firstMethod: 'rfc4733',
    });
    expect(c.wantsInband).toBe(false);
  });

  test('in-band first (first RFC 4733 packets lost), then the late event: still one digit', () => {
    const { c, got, advance } = collector();
    c.offer('7', 'inband');
    advance(60);
    c.offer('7', 'rfc4733');
    expect(got.map((d) => `${d.digit}:${d.method}`)).toEqual(['7:inband']);
  });

  test('INFO and RFC 4733 for the same press count once; a repeated key by one method counts twice', () => {
    const { c, got, advance } = collector();
    c.offer('#', 'sip-info');
    advance(30);
    c.offer('#', 'rfc4733');
    advance(150);
    c.offer('#', 'sip-info');
    advance(500);
    c.offer('#', 'rfc4733');
    expect(got.map((d) => d.method)).toEqual(['sip-info', 'sip-info', 'rfc4733']);
    expect(c.methods.suppressed).toBe(1);
  });

  test('in-band only callers: every detected digit passes, method recorded', () => {
    const { c, got, advance } = collector();
    for (const d of '5387#') {
      c.offer(d as '5', 'inband');
      advance(100);
    }
    expect(got.map((d) => d.digit).join('')).toBe('5387#');
    expect(c.methods.firstMethod).toBe('inband');
    expect(c.wantsInband).toBe(true);
  });
});
