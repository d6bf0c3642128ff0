import {
  Headers,
  NameAddr,
  Uri,
  Via,
  parseCSeq,
  parseNameAddr,
  parseUri,
  parseVia,
  headerKey,
  isListHeader,
  reasonPhrase,
  uriEquals,
} from '../../../src/sip/message';

describe('Headers', () => {
  it('resolves every compact form and folds case (RFC 3261 §7.3.3)', () => {
    const compact: Record<string, string> = {
      i: 'call-id',
      m: 'contact',
      f: 'from',
      t: 'to',
      v: 'via',
      l: 'content-length',
      c: 'content-type',
      k: 'supported',
      s: 'subject',
      e: 'content-encoding',
      o: 'event',
      r: 'refer-to',
      u: 'allow-events',
      x: 'session-expires',
      y: 'identity',
      n: 'identity-info',
      b: 'referred-by',
      a: 'accept-contact',
      j: 'reject-contact',
      d: 'request-disposition',
    };
    for (const [short, long] of Object.entries(compact)) {
      expect(headerKey(short)).toBe(long);
      expect(headerKey(short.toUpperCase())).toBe(long);
    }
    expect(headerKey('X-Unknown')).toBe('x-unknown');
    expect(headerKey('z')).toBe('z');
  });

  it('reads list headers across lines and commas, other headers by line', () => {
    const h = new Headers([
      ['Via', 'SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/UDP b;branch=z9hG4bK2'],
      ['v', 'SIP/2.0/TCP c;branch=z9hG4bK3'],
      ['Date', 'Sat, 13 Nov 2010 23:29:00 GMT'],
      ['Contact', '"Doe, John" <sip:j@127.0.0.1>;q=0.5, <sip:k@127.0.0.1>'],
    ]);
    expect(h.getAll('VIA')).toEqual([
      'SIP/2.0/UDP a;branch=z9hG4bK1',
      'SIP/2.0/UDP b;branch=z9hG4bK2',
      'SIP/2.0/TCP c;branch=z9hG4bK3',
    ]);
    expect(h.getAll('date')).toEqual(['Sat, 13 Nov 2010 23:29:00 GMT']);
    expect(h.getAll('m')).toEqual(['"Doe, John" <sip:j@127.0.0.1>;q=0.5', '<sip:k@127.0.0.1>']);
    expect(h.count('via')).toBe(2);
    expect(isListHeader('v')).toBe(true);
    expect(isListHeader('Date')).toBe(false);
  });

  it('edits: set, append, prepend, setFirst, removeFirst, remove; keeps spelling and order', () => {
    const h = new Headers([
      ['Via', 'SIP/2.0/UDP a, SIP/2.0/UDP b'],
      ['x-ODD-case', 'keep me'],
      ['Route', '<sip:r1>'],
      ['Route', '<sip:r2>'],
    ]);
    const v0 = h.version;
    h.prepend('Via', 'SIP/2.0/UDP new');
    expect(h.getAll('via')).toEqual(['SIP/2.0/UDP new', 'SIP/2.0/UDP a', 'SIP/2.0/UDP b']);
    h.removeFirst('Via');
    h.removeFirst('Via');
    expect(h.getAll('via')).toEqual(['SIP/2.0/UDP b']);
    h.setFirst('Via', 'SIP/2.0/UDP b;received=127.0.0.1');
    expect(h.get('v')).toBe('SIP/2.0/UDP b;received=127.0.0.1');
    h.set('route', '<sip:only>');
    expect(h.getAll('Route')).toEqual(['<sip:only>']);
    expect(h.remove('Route')).toBe(1);
    h.append('Route', '<sip:last>');
    expect([...h].map((f) => f.name)).toEqual(['Via', 'x-ODD-case', 'Route']);
    expect(h.get('X-Odd-Case')).toBe('keep me');
    expect(h.version).toBeGreaterThan(v0);
    const copy = h.clone();
    copy.set('Via', 'changed');
    expect(h.get('via')).toBe('SIP/2.0/UDP b;received=127.0.0.1');
  });
});

describe('URIs', () => {
  it('parses and serializes SIP, SIPS, tel and other URIs', () => {
    const cases: Array<[string, Partial<Uri>]> = [
      [
        'sip:alice:secret@127.0.0.1:5070;transport=tcp;lr?subject=hi&priority=urgent',
        { scheme: 'sip', user: 'alice', password: 'secret', host: '127.0.0.1', port: 5070 },
      ],
      ['sips:bob@conf.example.org', { scheme: 'sips', user: 'bob', host: 'conf.example.org', port: undefined }],
      ['sip:[::1]:5060', { host: '::1', port: 5060 }],
      ['tel:+33-1-23-45-67-89;phone-context=example.com', { scheme: 'tel', user: '+33-1-23-45-67-89', host: '' }],
      ['mailto:room@example.org', { scheme: 'mailto', opaque: 'room@example.org' }],
    ];
    for (const [text, expected] of cases) {
      const r = parseUri(text);
      if (!r.ok) throw r.error;
      expect(r.value).toMatchObject(expected);
      expect(r.value.toString()).toBe(text);
      expect(r.value.clone().toString()).toBe(text);
    }
    const u = parseUri('sip:alice@127.0.0.1;transport=TCP;lr');
    if (!u.ok) throw u.error;
    expect(u.value.transport).toBe('tcp');
    expect(u.value.params.get('LR')).toBeNull();
    expect(u.value.isSip).toBe(true);
  });

  it('rejects malformed URIs with a reason', () => {
    const bad: Array<[string, string]> = [
      ['', 'Empty URI'],
      ['sip:', 'Empty host'],
      ['sip:user@', 'Empty host'],
      ['sip:a b@example.com', 'White space inside URI'],
      ['nocolon', 'URI without scheme'],
      ['sip:user@host:99999', 'Port out of range'],
      ['sip:user@host:', 'Bad port'],
      ['sip:user@256.1.1.1', 'Bad IPv4 address'],
      ['sip:user@host;', 'Bad URI parameter name'],
      ['sip:user@host?x', 'Bad URI header'],
      ['sip:us"er@host', 'Bad user part in SIP URI'],
      ['tel:', 'Bad tel URI number'],
      ['1sip:x', 'Bad URI scheme'],
    ];
    for (const [text, reason] of bad) {
      const r = parseUri(text);
      expect(r.ok).toBe(false);
      if (!r.ok) expect([text, r.error.reason]).toEqual([text, reason]);
    }
  });

  it('builds name-addr values that quote display names only when needed', () => {
    const uri = new Uri({ user: 'room', host: '127.0.0.1', params: { transport: 'udp' } });
    const na = new NameAddr(uri, 'Room 12');
    na.tag = 'abc';
    expect(na.toString()).toBe('Room 12 <sip:room@127.0.0.1;transport=udp>;tag=abc');
    na.displayName = 'Doe, "J"';
    expect(na.toString()).toBe('"Doe, \\"J\\"" <sip:room@127.0.0.1;transport=udp>;tag=abc');
    const back = parseNameAddr(na.toString());
    if (!back.ok) throw back.error;
    expect(back.value.displayName).toBe('Doe, "J"');
    na.tag = undefined;
    expect(na.toString()).not.toContain('tag');
  });

  it('parses Via parameters and setters (§20.42, RFC 3581)', () => {
    const r = parseVia('SIP/2.0/udp 127.0.0.2:5062 ; branch=z9hG4bKx ; rport ; maddr=127.0.0.9');
    if (!r.ok) throw r.error;
    const via = r.value;
    expect(via.transport).toBe('UDP');
    expect(via.rport).toBeNull();
    expect(via.isRfc3261Branch).toBe(true);
    via.rport = 40000;
    via.received = '127.0.0.3';
    expect(via.toString()).toBe(
      'SIP/2.0/UDP 127.0.0.2:5062;branch=z9hG4bKx;rport=40000;maddr=127.0.0.9;received=127.0.0.3',
    );
    via.rport = undefined;
    via.received = undefined;
    via.branch = undefined;
    expect(via.toString()).toBe('SIP/2.0/UDP 127.0.0.2:5062;maddr=127.0.0.9');
    expect(new Via({ transport: 'tcp', host: 'h.example' }).clone().sentBy).toBe('h.example');
    for (const bad of [
      'SIP/2.0 127.0.0.1',
      'SIP/2.0/UDP',
      'SIP/2.0/UDP 127.0.0.1;rport=x',
      'SIP/2.0/UDP 127.0.0.1 extra',
      'SIP/2.0/UDP [::1',
    ]) {
      expect(parseVia(bad).ok).toBe(false);
    }
  });

  it('parses CSeq and knows the reason phrases', () => {
    expect(parseCSeq('  42   BYE ')).toEqual({ ok: true, value: { seq: 42, method: 'BYE' } });
    expect(parseCSeq('42BYE').ok).toBe(false);
    expect(parseCSeq('BYE').ok).toBe(false);
    expect(reasonPhrase(481)).toBe('Call/Transaction Does Not Exist');
    expect(reasonPhrase(499)).toBe('Client Error');
  });

  it('compares URIs per RFC 3261 §19.1.4, with the RFC examples', () => {
    const eq = (x: string, y: string) => {
      const a = parseUri(x);
      const b = parseUri(y);
      if (!a.ok) throw a.error;
      if (!b.ok) throw b.error;
      return uriEquals(a.value, b.value) && uriEquals(b.value, a.value);
    };
    expect(eq('sip:%61lice@atlanta.com;transport=TCP', 'sip:alice@AtLanTa.CoM;Transport=tcp')).toBe(true);
    expect(eq('sip:carol@chicago.com', 'sip:carol@chicago.com;newparam=5')).toBe(true);
    expect(eq('sip:carol@chicago.com', 'sip:carol@chicago.com;security=on')).toBe(true);
    expect(
      eq(
        'sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com',
        'sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com',
      ),
    ).toBe(true);
    expect(
      eq(
        'sip:alice@atlanta.com?subject=project%20x&priority=urgent',
        'sip:alice@atlanta.com?priority=urgent&subject=project%20x',
      ),
    ).toBe(true);
    expect(eq('SIP:ALICE@AtLanTa.CoM;Transport=udp', 'sip:alice@AtLanTa.CoM;Transport=UDP')).toBe(false);
    expect(eq('sip:bob@biloxi.com', 'sip:bob@biloxi.com:5060')).toBe(false);
    expect(eq('sip:bob@biloxi.com', 'sip:bob@biloxi.com;transport=udp')).toBe(false);
    expect(eq('sip:bob@biloxi.com', 'sip:bob@biloxi.com:6000;transport=tcp')).toBe(false);
    expect(eq('sip:carol@chicago.com', 'sip:carol@chicago.com?Subject=next%20meeting')).toBe(false);
    expect(eq('sip:bob@phone21.boxesbybob.com', 'sip:bob@192.0.2.4')).toBe(false);
    expect(eq('sip:carol@chicago.com;security=on', 'sip:carol@chicago.com;security=off')).toBe(false);
    expect(eq('sip:a@[::1]', 'sips:a@[::1]')).toBe(false);
    expect(eq('tel:+331234', 'TEL:+331234')).toBe(true);
  });
});
