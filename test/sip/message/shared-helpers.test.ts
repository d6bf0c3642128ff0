import { hostPort, isSipUser, parseUri, reasonHeader, uriHost } from '../../../src/sip/message';

describe('reasonHeader (RFC 3326 §2)', () => {
  it('writes protocol, cause and text, SIP by default', () => {
    expect(reasonHeader({ cause: 410, text: 'Conference Ended' })).toBe('SIP;cause=410;text="Conference Ended"');
    expect(reasonHeader({ protocol: 'Q.850', cause: 16 })).toBe('Q.850;cause=16');
  });

  it('escapes " and \\ in the text as quoted-pairs (RFC 3261 §25.1)', () => {
    expect(reasonHeader({ cause: 488, text: 'say "no" \\ leave' })).toBe(
      'SIP;cause=488;text="say \\"no\\" \\\\ leave"',
    );
  });
});

describe('uriHost and hostPort (RFC 3261 §19.1.1, RFC 5118 §4)', () => {
  it('brackets an IPv6 literal once and leaves names and IPv4 alone', () => {
    expect(uriHost('2001:db8::1')).toBe('[2001:db8::1]');
    expect(uriHost('[2001:db8::1]')).toBe('[2001:db8::1]');
    expect(uriHost('192.0.2.1')).toBe('192.0.2.1');
    expect(uriHost('mcu.example.org')).toBe('mcu.example.org');
    expect(hostPort('::1', 5060)).toBe('[::1]:5060');
    expect(hostPort('127.0.0.1', 5060)).toBe('127.0.0.1:5060');
  });

  it('gives hosts the URI parser reads back', () => {
    expect(parseUri(`sip:a@${uriHost('2001:db8::1')}`).ok).toBe(true);
  });
});

describe('isSipUser (RFC 3261 §25.1 user)', () => {
  it('agrees with the URI parser', () => {
    for (const user of ['5387', '+33123', 'alice.b', 'a%20b', "x-_.!~*'()&=+$,;?/"]) {
      expect(isSipUser(user)).toBe(true);
      expect(parseUri(`sip:${user}@example.org`).ok).toBe(true);
    }
    for (const user of ['', 'a b', 'a@b', 'a%2', 'é', 'a"b', 'a<b']) {
      expect(isSipUser(user)).toBe(false);
    }
  });
});
