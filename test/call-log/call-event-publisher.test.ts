import { callEventSchema, type CallEvent } from '../../src/call-log/call-events';
import { CallEventPublisher, liveDtmfMethod } from '../../src/call-log/call-event-publisher';

describe('the dial-in call event publisher', () => {
  const published: CallEvent[] = [];
  const events = new CallEventPublisher({ publish: (e) => published.push(e) }, 'host-1-abcd', () => 1_700_000_000_000);
  beforeEach(() => published.splice(0));

  it('stamps every step with the instance and the time, and each event is one the live view accepts', () => {
    events.ringing({
      callId: 'c1',
      startedAt: 1_699_999_999_000,
      source: '127.0.0.1',
      transport: 'tcp',
      dialled: 'ivr',
      displayName: 'Ada',
      callingNumber: '0601',
      userAgent: 'Polycom',
    });
    events.digits('c1', 'sip-info', '5387');
    events.admitted('c1', 'p1', 'b1', '5387');
    events.connected('c1', 'p1', 'b1', 'mcu1');
    events.ended('c1', 'kick', { participantId: 'p1', bookingId: 'b1' });
    events.refused('c2', 'wrong-code', '5387', '127.0.0.2');
    events.mcu('mcu2', false);
    events.alert({
      kind: 'too-many-attempts',
      scope: 'source',
      subject: '127.0.0.2',
      number: '5387',
      count: 5,
      limit: 5,
      windowMs: 900_000,
      at: 1,
      callId: 'c2',
      instanceId: 'host-1-abcd',
    });
    expect(published.map((e) => e.kind)).toEqual([
      'ringing',
      'digits',
      'admitted',
      'connected',
      'ended',
      'refused',
      'mcu',
      'alert',
    ]);
    for (const e of published) expect(callEventSchema.safeParse(e).success).toBe(true);
    expect(published[0]).toMatchObject({
      at: 1_699_999_999_000,
      instanceId: 'host-1-abcd',
      transport: 'tcp',
      displayName: 'Ada',
      userAgent: 'Polycom',
    });
    expect(published[1]).toMatchObject({ at: 1_700_000_000_000, stage: 'code', dtmf: 'info', number: '5387' });
    expect(published[4]).toMatchObject({ reason: 'kick', participantId: 'p1', bookingId: 'b1' });
    expect(published[6]).toMatchObject({ mcu: 'mcu2', up: false, callId: 'mcu:mcu2' });
  });

  it('a caller moved off a lost MCU is a `moved` event the live view accepts', () => {
    events.moved('c1', { participantId: 'p1', bookingId: 'b1' }, 'mcu1', 'mcu2');
    expect(published).toEqual([
      {
        kind: 'moved',
        at: 1_700_000_000_000,
        callId: 'c1',
        instanceId: 'host-1-abcd',
        participantId: 'p1',
        bookingId: 'b1',
        from: 'mcu1',
        to: 'mcu2',
      },
    ]);
    expect(callEventSchema.safeParse(published[0]).success).toBe(true);
  });

  it('cuts an over-long display name, calling number and User-Agent to the schema limits instead of publishing an invalid event', () => {
    events.ringing({
      callId: 'c3',
      startedAt: 1,
      source: '127.0.0.1',
      transport: 'udp',
      dialled: 'direct',
      displayName: 'x'.repeat(500),
      callingNumber: '1'.repeat(100),
      userAgent: 'u'.repeat(1000),
    });
    expect(callEventSchema.safeParse(published[0]).success).toBe(true);
    expect(published[0]).toMatchObject({
      displayName: 'x'.repeat(128),
      callingNumber: '1'.repeat(64),
      userAgent: 'u'.repeat(256),
    });
  });

  it('leaves absent caller details out, and names DTMF methods as the live view does', () => {
    events.ringing({ callId: 'c4', startedAt: 1, source: '127.0.0.1', transport: 'udp', dialled: 'invalid' });
    for (const key of ['displayName', 'callingNumber', 'userAgent']) expect(published[0]).not.toHaveProperty(key);
    expect(published[0]).toMatchObject({ protocol: 'sip' });
    expect((['rfc4733', 'sip-info', 'inband', undefined] as const).map((m) => liveDtmfMethod(m))).toEqual([
      'rfc4733',
      'info',
      'inband',
      'none',
    ]);
  });
});
