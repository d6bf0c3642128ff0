/**
 * RFC 5118 (SIP torture tests for IPv6): IPv6 references in the Request-URI, Via sent-by and
 * received, IPv4-mapped addresses, ambiguous ports, and messages with and without SDP.
 * Pure parser tests; RFC 3849 documentation addresses.
 */
import { Via, parseUri, serialize, createResponse } from '../../../src/sip/message';
import { request, sip, verdict } from './sip-message-fixtures';

function register(uri: string, via: string, extra: string[] = []): Buffer {
  return sip([
    `REGISTER ${uri} SIP/2.0`,
    `Via: ${via}`,
    'Max-Forwards: 70',
    'From: <sip:user@example.com>;tag=81x2',
    'To: <sip:user@example.com>',
    'Call-ID: SSG9559905523997077@hlau_4100',
    'CSeq: 1 REGISTER',
    ...extra,
    'Content-Length: 0',
  ]);
}

describe('RFC 5118 IPv6', () => {
  it('§4.1 a valid SIP message with an IPv6 reference', () => {
    const bytes = register('sip:[2001:db8::10]', 'SIP/2.0/UDP [2001:db8::9:1];branch=z9hG4bKas3-111', [
      'Contact: "Caller" <sip:caller@[2001:db8::1]>',
    ]);
    expect(verdict(bytes)).toBe('accept');
    const req = request(bytes);
    expect(req.requestUri.host).toBe('2001:db8::10');
    expect(req.requestUri.hostRef).toBe('[2001:db8::10]');
    expect(req.via.host).toBe('2001:db8::9:1');
    expect(req.via.sentBy).toBe('[2001:db8::9:1]');
    expect(req.contacts[0].uri.host).toBe('2001:db8::1');
  });

  it('§4.2 an IPv6 address without brackets in the Request-URI is rejected with 400', () => {
    const bytes = register('sip:2001:db8::10', 'SIP/2.0/UDP [2001:db8::9:1];branch=z9hG4bKas3-111');
    expect(verdict(bytes)).toEqual({ status: 400, reason: 'IPv6 address not enclosed in []' });
  });

  it('§4.3 a port-ambiguous reference is an address, not an address and port', () => {
    const bytes = register('sip:[2001:db8::10:5070]', 'SIP/2.0/UDP [2001:db8::9:1];branch=z9hG4bKas3-111');
    expect(verdict(bytes)).toBe('accept');
    const uri = request(bytes).requestUri;
    expect(uri.host).toBe('2001:db8::10:5070');
    expect(uri.port).toBeUndefined();
  });

  it('§4.4 a port after the reference is the port', () => {
    const bytes = register('sip:[2001:db8::10]:5070', 'SIP/2.0/UDP [2001:db8::9:1]:5061;branch=z9hG4bKas3-111');
    const req = request(bytes);
    expect(req.requestUri.host).toBe('2001:db8::10');
    expect(req.requestUri.port).toBe(5070);
    expect(req.via.port).toBe(5061);
  });

  it('§4.5 and §4.6 received with and without brackets', () => {
    for (const received of ['[2001:db8::9:255]', '2001:db8::9:255']) {
      const bytes = sip([
        'BYE sip:[2001:db8::10] SIP/2.0',
        `Via: SIP/2.0/UDP [2001:db8::9:1];received=${received};branch=z9hG4bKas3-111`,
        'Max-Forwards: 70',
        'From: "Caller" <sip:caller@[2001:db8::1]>;tag=81x2',
        'To: <sip:user@[2001:db8::10]>;tag=a3kf',
        'Call-ID: SSG9559905523997077@hlau_4100',
        'CSeq: 2 BYE',
        'Content-Length: 0',
      ]);
      expect(verdict(bytes)).toBe('accept');
      expect(request(bytes).via.received).toBe(received);
    }
  });

  it('§4.7 IPv4-mapped IPv6 addresses', () => {
    const bytes = register('sip:[::ffff:192.0.2.10]', 'SIP/2.0/UDP [::ffff:192.0.2.10]:19823;branch=z9hG4bKbh19');
    expect(verdict(bytes)).toBe('accept');
    expect(request(bytes).via.host).toBe('::ffff:192.0.2.10');
  });

  it('§4.8 SDP with IPv6 passes through the body untouched, and SDP-less INVITE is fine', () => {
    const sdp =
      'v=0\r\no=assistant 971731711378798081 0 IN IP6 2001:db8::20\r\ns=-\r\nc=IN IP6 2001:db8::20\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\n';
    const head = [
      'INVITE sip:user@[2001:db8::10] SIP/2.0',
      'Via: SIP/2.0/UDP [2001:db8::20];branch=z9hG4bKas3-111',
      'Max-Forwards: 70',
      'From: "Caller" <sip:caller@[2001:db8::20]>;tag=81x2',
      'To: <sip:user@[2001:db8::10]>',
      'Call-ID: SSG9559905523997077@hlau_4100',
      'CSeq: 1 INVITE',
      'Contact: <sip:caller@[2001:db8::20]>',
    ];
    const withSdp = request(sip([...head, 'Content-Type: application/sdp', `Content-Length: ${sdp.length}`], sdp));
    expect(withSdp.body.toString()).toBe(sdp);
    const offerless = request(sip([...head, 'Content-Length: 0']));
    expect(offerless.body.length).toBe(0);
    expect(verdict(serialize(offerless))).toBe('accept');
  });

  it('§4.9 IPv4 and IPv6 addresses side by side in Via and Contact', () => {
    const bytes = sip([
      'REGISTER sip:[2001:db8::10] SIP/2.0',
      'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKas3-111',
      'Via: SIP/2.0/UDP [2001:db8::9:1];received=192.0.2.38;branch=z9hG4bKjhja8781hjuaij65144',
      'Max-Forwards: 70',
      'From: <sip:user@example.com>;tag=81x2',
      'To: <sip:user@example.com>',
      'Call-ID: SSG9559905523997077@hlau_4100',
      'CSeq: 1 REGISTER',
      'Contact: "Caller" <sip:caller@[2001:db8::9:1]>, <sip:caller@192.0.2.1>',
      'Content-Length: 0',
    ]);
    const req = request(bytes);
    expect(req.vias.map((v) => v.host)).toEqual(['192.0.2.1', '2001:db8::9:1']);
    expect(req.vias[1].received).toBe('192.0.2.38');
    expect(req.contacts.map((c) => c.uri.host)).toEqual(['2001:db8::9:1', '192.0.2.1']);
  });

  it('stamps an IPv6 received/rport and the response carries it (§18.2.1, RFC 3581)', () => {
    const req = request(register('sip:[::1]', 'SIP/2.0/UDP [::1]:5999;branch=z9hG4bK77;rport'));
    const via = req.via;
    via.received = '::1';
    via.rport = 5062;
    req.setTopVia(via);
    const res = request(
      Buffer.from(
        serialize(createResponse(req, 200)).toString().replace('SIP/2.0 200 OK', 'OPTIONS sip:[::1] SIP/2.0'),
      ),
    );
    expect(res.via.received).toBe('::1');
    expect(res.via.rport).toBe(5062);
    expect(new Via({ transport: 'udp', host: '::1', port: 5060, branch: 'z9hG4bKx' }).toString()).toBe(
      'SIP/2.0/UDP [::1]:5060;branch=z9hG4bKx',
    );
  });

  it('rejects malformed IPv6 references', () => {
    for (const text of ['sip:[2001:db8::10', 'sip:[2001:zz8::10]', 'sip:user@[::1]x', 'sip:[::1]:70000']) {
      expect(parseUri(text).ok).toBe(false);
    }
  });
});
