import fc from 'fast-check';
import { parseDialTarget } from '../../src/ivr/dial-target';

const plan = { numberLength: 4 };

describe('parseDialTarget', () => {
  it.each([
    [undefined, 'bare IP, no user part'],
    ['', 'empty user part'],
    ['conf', 'conf'],
    ['CONF', 'conf in capitals'],
    ['conf;phone-context=example.org', 'conf with a user parameter'],
  ] as [string | undefined, string][])('%p starts the full IVR (%s)', (user) => {
    expect(parseDialTarget(user, plan)).toEqual({ ok: true, target: { kind: 'ivr' } });
  });

  it('a number alone asks for the code only', () => {
    expect(parseDialTarget('5387', plan)).toEqual({ ok: true, target: { kind: 'code-only', number: '5387' } });
  });

  it.each([
    '5387*8688',
    '5387.8688',
    '5387$$8688',
    '5387%2A8688',
    '5387%2a8688',
    '5387%24%248688',
    '5387%2E8688',
    '5387*8688;user=phone',
  ])('%p dials in directly, without IVR', (user) => {
    expect(parseDialTarget(user, plan)).toEqual({ ok: true, target: { kind: 'direct', number: '5387', code: '8688' } });
  });

  it('uses the configured number length', () => {
    expect(parseDialTarget('123456', { numberLength: 6 })).toEqual({
      ok: true,
      target: { kind: 'code-only', number: '123456' },
    });
    expect(parseDialTarget('5387', { numberLength: 6 })).toMatchObject({ ok: false, status: 484 });
  });

  it.each([
    ['538', 484, 'conference number is incomplete'],
    ['5387*868', 484, 'access code is incomplete'],
    ['5387*', 484, 'access code is incomplete'],
    ['*8688', 484, 'conference number is incomplete'],
    ['53870', 404, 'conference number is too long'],
    ['5387*86880', 404, 'access code is too long'],
    ['alice', 404, 'characters other than digits'],
    ['53a7', 404, 'characters other than digits'],
    ['5387$8688', 404, 'characters other than digits'],
    ['5387**8688', 404, 'characters other than digits'],
    ['5387*8688*1', 404, 'characters other than digits'],
    ['5387%ZZ', 404, 'malformed percent-escape'],
    ['%', 404, 'malformed percent-escape'],
  ])('%p is rejected with %i (%s)', (user, status, reason) => {
    const result = parseDialTarget(user, plan);
    expect(result).toMatchObject({ ok: false, status });
    expect(result.ok === false && result.reason).toContain(reason);
  });

  it('never throws, and only accepts digit-only numbers and codes of the right length', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (user) => {
        const result = parseDialTarget(user, plan);
        if (!result.ok) return [404, 484].includes(result.status) && result.reason.length > 0;
        const t = result.target;
        if (t.kind === 'ivr') return true;
        if (!/^[0-9]{4}$/.test(t.number)) return false;
        return t.kind === 'code-only' || /^[0-9]{4}$/.test(t.code);
      }),
    );
  });
});
