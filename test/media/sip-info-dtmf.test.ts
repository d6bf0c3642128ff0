import fc from 'fast-check';
import { parseSipInfoDtmf } from '../../src/media/dtmf/sip-info-dtmf';

describe('SIP INFO DTMF bodies', () => {
  test.each([
    ['application/dtmf-relay', 'Signal=5\r\nDuration=160\r\n', '5', 160],
    ['application/dtmf-relay', 'Signal=#\r\nDuration=250', '#', 250],
    ['application/dtmf-relay', 'Signal=*', '*', undefined],
    ['Application/DTMF-Relay; charset=utf-8', 'signal = b\nduration = 100\n', 'B', 100],
    ['application/dtmf-relay', 'Signal=10\r\nDuration=160', '*', 160],
    ['application/dtmf-relay', 'Signal=11\r\nDuration=160', '#', 160],
    ['application/dtmf-relay', 'Signal=D\r\nDuration=abc', 'D', undefined],
    ['application/dtmf', '5', '5', undefined],
    ['application/dtmf', '#\r\n', '#', undefined],
    ['application/dtmf', '11', '#', undefined],
  ])('%s %j → %s', (type, body, digit, durationMs) => {
    expect(parseSipInfoDtmf(type, body)).toEqual({ kind: 'digit', digit, durationMs, sipStatus: 200 });
  });

  test.each([
    ['application/dtmf-relay', 'Duration=160'],
    ['application/dtmf-relay', 'Signal=!\r\nDuration=160'], // hook flash
    ['application/dtmf-relay', 'Signal=16'],
    ['application/dtmf-relay', 'Signal=55'],
    ['application/dtmf', 'hello'],
    [undefined, ''],
  ])('%s %j carries no key: 200, ignored', (type, body) => {
    expect(parseSipInfoDtmf(type, body)).toMatchObject({ kind: 'no-digit', sipStatus: 200 });
  });

  test('other body types get 415 with the types confgate accepts', () => {
    expect(parseSipInfoDtmf('application/media_control+xml', '<media_control/>')).toEqual({
      kind: 'unsupported-type',
      contentType: 'application/media_control+xml',
      accept: 'application/dtmf-relay, application/dtmf',
      sipStatus: 415,
    });
    expect(parseSipInfoDtmf(undefined, 'Signal=5')).toMatchObject({
      kind: 'unsupported-type',
      contentType: '(none)',
      sipStatus: 415,
    });
  });

  test('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.option(fc.string()), fc.string(), (type, body) => {
        const result = parseSipInfoDtmf(type ?? undefined, body);
        expect([200, 415]).toContain(result.sipStatus);
      }),
    );
  });
});
