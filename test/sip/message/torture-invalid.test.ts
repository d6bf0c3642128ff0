/**
 * RFC 4475 §3.1.2 (invalid messages): each category written for confgate, with the response a
 * UAS must send (or that the message is dropped). The parser never throws on any of them.
 */
import { parseMessage } from '../../../src/sip/message';
import { sip, verdict } from './sip-message-fixtures';

/** The common, valid header lines of a test request; `over` replaces lines by header name. */
function headers(method: string, over: Record<string, string | null> = {}): string[] {
  const base: Record<string, string> = {
    Via: 'SIP/2.0/UDP 192.0.2.15;branch=z9hG4bKkdjuw',
    'Max-Forwards': '70',
    From: '<sip:caller@example.com>;tag=838293',
    To: '<sip:user@example.com>',
    'Call-ID': 'torture.invalid.2834@192.0.2.15',
    CSeq: `1 ${method}`,
    'Content-Length': '0',
  };
  const lines: string[] = [];
  for (const [name, value] of Object.entries({ ...base, ...over })) if (value !== null) lines.push(`${name}: ${value}`);
  return lines;
}

const bad = (reason: string) => ({ status: 400, reason });

describe('RFC 4475 §3.1.2 invalid messages', () => {
  it('§3.1.2.1 extraneous header field separators', () => {
    expect(
      verdict(
        sip(['INVITE sip:user@example.com SIP/2.0', ...headers('INVITE', { Via: 'SIP/2.0/UDP 192.0.2.15;;,;,,' })]),
      ),
    ).toEqual(bad('Empty or bad parameter in Via'));
    expect(
      verdict(
        sip([
          'INVITE sip:user@example.com SIP/2.0',
          ...headers('INVITE', { From: '<sip:caller@example.com>;;;;tag=1' }),
        ]),
      ),
    ).toEqual(bad('Empty or bad parameter in From'));
    expect(
      verdict(
        sip([
          'INVITE sip:user@example.com SIP/2.0',
          ...headers('INVITE', { Contact: '<sip:caller@host.example.com>;;;;' }),
        ]),
      ),
    ).toEqual(bad('Empty or bad parameter in Contact'));
  });

  it('§3.1.2.2 Content-Length larger than the message', () => {
    const bytes = sip(
      [
        'INVITE sip:user@example.com SIP/2.0',
        ...headers('INVITE', { 'Content-Length': '9999', 'Content-Type': 'application/sdp' }),
      ],
      'v=0\r\n',
    );
    expect(verdict(bytes)).toEqual(bad('Content-Length larger than message body'));
  });

  it('§3.1.2.3 negative Content-Length', () => {
    const bytes = sip(
      ['INVITE sip:user@example.com SIP/2.0', ...headers('INVITE', { 'Content-Length': '-999' })],
      'v=0\r\n',
    );
    expect(verdict(bytes)).toEqual(bad('Negative Content-Length'));
  });

  it('§3.1.2.4 request scalar fields with overlarge values', () => {
    const req = (over: Record<string, string>) =>
      sip(['REGISTER sip:example.com SIP/2.0', ...headers('REGISTER', over)]);
    expect(verdict(req({ CSeq: '36893488147419103232 REGISTER' }))).toEqual(bad('CSeq number out of range'));
    expect(verdict(req({ CSeq: '4294967296 REGISTER' }))).toEqual(bad('CSeq number out of range'));
    expect(verdict(req({ 'Max-Forwards': '300' }))).toEqual(bad('Max-Forwards out of range'));
    expect(verdict(req({ Expires: '10000000000000000000' }))).toEqual(bad('Bad Expires'));
    expect(verdict(req({ Contact: '<sip:user@host129.example.com>;expires=280297596632815' }))).toEqual(
      bad('Bad Contact expires'),
    );
    expect(verdict(req({ Via: 'SIP/2.0/TCP host129.example.com:65536;branch=z9hG4bK342sdfoi3' }))).toEqual(
      bad('Port out of range'),
    );
    expect(verdict(req({ CSeq: '4294967295 REGISTER' }))).toBe('accept');
  });

  it('§3.1.2.5 response scalar fields with overlarge values are dropped', () => {
    const res = (extra: string) =>
      sip([
        'SIP/2.0 503 Service Unavailable',
        'Via: SIP/2.0/TCP host129.example.com;branch=z9hG4bKzzxdiwo34sw;received=192.0.2.129',
        'To: <sip:user@example.com>',
        'From: <sip:other@example.net>;tag=2easdjfejw',
        'CSeq: 9292394834772304023312 OPTIONS',
        'Call-ID: scalarlg.noase0of0234hn2qofoaf0232aewf2394r',
        extra,
        'Content-Length: 0',
      ]);
    expect(verdict(res('Retry-After: 949302838503028349304023988'))).toBe('drop');
    const fine = sip([
      'SIP/2.0 503 Service Unavailable',
      'Via: SIP/2.0/TCP host129.example.com;branch=z9hG4bKzzxdiwo34sw',
      'To: <sip:user@example.com>;tag=x',
      'From: <sip:other@example.net>;tag=2easdjfejw',
      'CSeq: 9 OPTIONS',
      'Call-ID: scalarlg.ok',
      'Warning: 1812 overture "In Progress"',
      'Content-Length: 0',
    ]);
    expect(verdict(fine)).toBe('drop');
    expect(verdict(Buffer.from(fine.toString().replace('Warning: 1812', 'Warning: 399')))).toBe('accept');
  });

  it.each([
    [
      '§3.1.2.6 unterminated quoted string in a display name',
      'INVITE sip:user@example.com SIP/2.0',
      { To: '"Mr. J. User <sip:j.user@example.com>' },
      'Unterminated quoted string in To',
    ],
    [
      '§3.1.2.7 <> enclosing the Request-URI',
      'INVITE <sip:user@example.com> SIP/2.0',
      {},
      'Request-URI enclosed in <>',
    ],
    [
      '§3.1.2.8 malformed SIP Request-URI: embedded LWS',
      'INVITE sip:user@example.com; lr SIP/2.0',
      {},
      'White space inside Request-URI',
    ],
    [
      '§3.1.2.9 multiple SP separating Request-Line elements',
      'INVITE  sip:user@example.com  SIP/2.0',
      {},
      'Multiple spaces in Request-Line',
    ],
    [
      '§3.1.2.10 SP characters at the end of the Request-Line',
      'INVITE sip:remote-target@example.com SIP/2.0  ',
      {},
      'Trailing white space in Request-Line',
    ],
    [
      '§3.1.2.11 escaped headers in a SIP Request-URI',
      'INVITE sip:user@example.com?Route=%3Csip:example.com%3E SIP/2.0',
      {},
      'Headers not allowed in Request-URI',
    ],
  ])('%s', (_name, startLine, over, reason) => {
    expect(verdict(sip([startLine, ...headers(startLine.split(' ')[0], over)]))).toEqual(bad(reason));
  });

  it('§3.1.2.12 invalid time zone in Date', () => {
    const req = (date: string) => sip(['INVITE sip:user@example.com SIP/2.0', ...headers('INVITE', { Date: date })]);
    expect(verdict(req('Fri, 01 Jan 2010 16:00:00 EST'))).toEqual(bad('Bad Date: must be RFC 1123 in GMT'));
    expect(verdict(req('Fri, 01 Jan 2010 16:00:00 GMT'))).toBe('accept');
  });

  it('§3.1.2.13 failure to enclose a name-addr URI with ? or , in <>', () => {
    const bytes = sip([
      'REGISTER sip:example.com SIP/2.0',
      ...headers('REGISTER', { Contact: 'sip:user@example.com?Route=%3Csip:sip.example.com%3E' }),
    ]);
    expect(verdict(bytes)).toEqual(bad('URI with ? or , not enclosed in <> in Contact'));
  });

  it('§3.1.2.14 spaces within addr-spec', () => {
    const inBrackets = sip([
      'OPTIONS sip:user@example.com SIP/2.0',
      ...headers('OPTIONS', { To: '"Watson, Thomas" < sip:t.watson@example.org >' }),
    ]);
    expect(verdict(inBrackets)).toEqual(bad('White space inside URI'));
    const bare = sip([
      'OPTIONS sip:user@example.com SIP/2.0',
      ...headers('OPTIONS', { To: 'sip:t.watson @example.org' }),
    ]);
    expect(verdict(bare)).toEqual(bad('Unexpected text after URI in To'));
  });

  it('§3.1.2.15 non-token characters in a display name', () => {
    const bytes = sip([
      'OPTIONS sip:user@example.com SIP/2.0',
      ...headers('OPTIONS', { From: 'Bell, Alexander <sip:a.g.bell@example.com>;tag=43' }),
    ]);
    expect(verdict(bytes)).toEqual(bad('Bad character in display name of From'));
  });

  it('§3.1.2.16 unknown protocol version gets 505', () => {
    const bytes = sip(['OPTIONS sip:t.watson@example.org SIP/7.0', ...headers('OPTIONS')]);
    expect(verdict(bytes)).toEqual({ status: 505, reason: 'Version Not Supported' });
    expect(verdict(sip(['OPTIONS sip:t.watson@example.org HTTP/1.1', ...headers('OPTIONS')]))).toEqual(
      bad('Bad SIP-Version'),
    );
  });

  it('§3.1.2.17 start line and CSeq method mismatch', () => {
    const bytes = sip(['OPTIONS sip:user@example.com SIP/2.0', ...headers('OPTIONS', { CSeq: '8 INVITE' })]);
    expect(verdict(bytes)).toEqual(bad('CSeq method does not match Request-Line'));
  });

  it('§3.1.2.18 unknown method with CSeq method mismatch gets 501', () => {
    const bytes = sip(['NEWMETHOD sip:user@example.com SIP/2.0', ...headers('NEWMETHOD', { CSeq: '8 INVITE' })]);
    expect(verdict(bytes)).toEqual({ status: 501, reason: 'Not Implemented' });
  });

  it('§3.1.2.19 overlarge response code is dropped', () => {
    const bytes = sip([
      'SIP/2.0 4294967301 better not break the receiver',
      'Via: SIP/2.0/UDP 192.0.2.105;branch=z9hG4bK2398ndaoe',
      'Call-ID: bigcode.asdof3uj203asdnf3429uasdhfas3ehjasdfas9i',
      'CSeq: 353494 INVITE',
      'From: <sip:user@example.com>;tag=39ansfi3',
      'To: <sip:user@example.edu>;tag=902jndnke3',
      'Content-Length: 0',
    ]);
    expect(verdict(bytes)).toBe('drop');
    const outcome = parseMessage(bytes);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.reason).toBe('Bad Status-Code');
  });

  it('answers 513 for a message over the size bound; drops one whose head alone is over it', () => {
    const body = 'x'.repeat(70000);
    const bigBody = sip(
      [
        'INVITE sip:user@example.com SIP/2.0',
        ...headers('INVITE', { 'Content-Type': 'text/plain', 'Content-Length': String(body.length) }),
      ],
      body,
    );
    expect(verdict(bigBody)).toEqual({ status: 513, reason: 'Message Too Large' });
    const bigHead = sip(['INVITE sip:user@example.com SIP/2.0', ...headers('INVITE', { 'X-Padding': body })]);
    expect(verdict(bigHead)).toBe('drop');
  });

  it('drops what cannot be answered: no start line, or no Via to answer to', () => {
    expect(verdict(Buffer.from('\x00\x01\x02 garbage'))).toBe('drop');
    expect(verdict(sip(['INVITE sip:user@example.com SIP/7.0', 'Content-Length: 0']))).toBe('drop');
  });
});
