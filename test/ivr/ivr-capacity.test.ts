import { configSchema } from '../../src/config/config-schema';
import { IvrCapacity, ivrCaps } from '../../src/ivr/ivr-capacity';

describe('IvrCapacity', () => {
  it('caps calls per source and in total; a trusted gateway only by the total; a release gives the place back once', () => {
    const capacity = new IvrCapacity({ total: 4, perSource: 2, exempt: new Set(['127.0.0.9']) });
    const a = [capacity.take('127.0.0.2'), capacity.take('127.0.0.2'), capacity.take('127.0.0.2')];
    expect(a.map((p) => p.ok)).toEqual([true, true, false]);
    expect(a[2]).toEqual({ ok: false, limit: 'source', cap: 2 });
    expect([capacity.take('127.0.0.9').ok, capacity.take('127.0.0.9').ok]).toEqual([true, true]);
    expect(capacity.take('127.0.0.3')).toEqual({ ok: false, limit: 'total', cap: 4 });
    if (a[0]!.ok) {
      a[0]!.slot.release();
      a[0]!.slot.release();
    }
    expect(capacity.calls).toBe(3);
    expect(capacity.take('127.0.0.2').ok).toBe(true);
    expect(capacity.take('127.0.0.3').ok).toBe(false);
  });

  it('keeps the total below the RTP port pairs of the media range', () => {
    const caps = (over: object) => ivrCaps(configSchema.parse(over));
    expect(caps({}).total).toBe(2000);
    expect(caps({ media: { rtpPortMin: 40000, rtpPortMax: 40999 } }).total).toBe(499);
    expect(caps({ admission: { trustedGateways: ['FD00::1'] } }).exempt).toEqual(new Set(['fd00::1']));
  });
});
