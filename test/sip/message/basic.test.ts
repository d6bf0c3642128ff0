import {
  parseMessage,
  serialize,
  createResponse,
  createRequest,
  SipRequest,
  SipResponse,
  SipStreamFramer,
  Via,
  newBranch,
  newCallId,
  newTag,
  parseUri,
} from '../../../src/sip/message';

const invite = [
  'INVITE sip:1234@127.0.0.1:5060 SIP/2.0',
  'Via: SIP/2.0/UDP 127.0.0.2:5062;branch=z9hG4bK74bf9;rport',
  'Max-Forwards: 70',
  'From: "Room 12" <sip:room12@127.0.0.2>;tag=9fxced76sl',
  'To: <sip:1234@127.0.0.1>',
  'Call-ID: 3848276298220188511@127.0.0.2',
  'CSeq: 1 INVITE',
  'Contact: <sip:room12@127.0.0.2:5062>',
  'X-Custom-Thing:  Some  Value ',
  'Content-Type: application/sdp',
  'Content-Length: 4',
  '',
  'v=0\n',
].join('\r\n');

describe('message API basics', () => {
  it('parses an INVITE with lazy typed views', () => {
    const r = parseMessage(Buffer.from(invite));
    if (!r.ok) throw r.error;
    const req = r.value as SipRequest;
    expect(req.isRequest()).toBe(true);
    expect(req.method).toBe('INVITE');
    expect(req.requestUri.user).toBe('1234');
    expect(req.requestUri.port).toBe(5060);
    expect(req.via.transport).toBe('UDP');
    expect(req.via.host).toBe('127.0.0.2');
    expect(req.via.port).toBe(5062);
    expect(req.via.rport).toBeNull();
    expect(req.branch).toBe('z9hG4bK74bf9');
    expect(req.from.displayName).toBe('Room 12');
    expect(req.fromTag).toBe('9fxced76sl');
    expect(req.toTag).toBeUndefined();
    expect(req.cseq).toEqual({ seq: 1, method: 'INVITE' });
    expect(req.headers.get('x-custom-thing')).toBe('Some  Value');
    expect(req.body.toString()).toBe('v=0\n');
    expect(req.contentType).toBe('application/sdp');
  });

  it('round-trips through serialize', () => {
    const r = parseMessage(Buffer.from(invite));
    if (!r.ok) throw r.error;
    const out = serialize(r.value).toString();
    expect(out).toContain('X-Custom-Thing: Some  Value\r\n');
    const again = parseMessage(serialize(r.value));
    if (!again.ok) throw again.error;
    expect(serialize(again.value).equals(serialize(r.value))).toBe(true);
  });

  it('builds a response per RFC 3261 §8.2.6 and stamps received/rport', () => {
    const r = parseMessage(Buffer.from(invite));
    if (!r.ok) throw r.error;
    const req = r.value as SipRequest;
    const via = req.via;
    via.received = '127.0.0.9';
    via.rport = 5999;
    req.setTopVia(via);
    const res = createResponse(req, 180, undefined, { toTag: 'abc' });
    expect(res.reason).toBe('Ringing');
    expect(res.toTag).toBe('abc');
    expect(res.via.received).toBe('127.0.0.9');
    expect(res.via.rport).toBe(5999);
    expect(res.callId).toBe(req.callId);
    const trying = createResponse(req, 100, undefined, { toTag: 'abc' });
    expect(trying.toTag).toBeUndefined();
  });

  it('builds a request from scratch', () => {
    const uri = parseUri('sip:mcu@127.0.0.1:5080');
    if (!uri.ok) throw uri.error;
    const req = createRequest({
      method: 'OPTIONS',
      uri: uri.value,
      from: '<sip:confgate@127.0.0.1>;tag=' + newTag(),
      to: '<sip:mcu@127.0.0.1:5080>',
      callId: 'abc@127.0.0.1',
      cseq: 1,
      via: new Via({ transport: 'UDP', host: '127.0.0.1', port: 5060, branch: newBranch() }),
    });
    const parsed = parseMessage(serialize(req));
    if (!parsed.ok) throw parsed.error;
    expect((parsed.value as SipRequest).cseq.method).toBe('OPTIONS');
    expect(parsed.value.headers.get('content-length')).toBe('0');
    expect(parsed.value).toBeInstanceOf(SipRequest);
  });

  it('frames a TCP stream by Content-Length and counts keep-alives', () => {
    const framer = new SipStreamFramer(4096);
    const bytes = Buffer.concat([Buffer.from('\r\n\r\n'), Buffer.from(invite), Buffer.from(invite)]);
    const got: Buffer[] = [];
    let pings = 0;
    for (let i = 0; i < bytes.length; i += 7) {
      const out = framer.push(bytes.subarray(i, i + 7));
      expect(out.error).toBeUndefined();
      got.push(...out.messages);
      pings += out.keepAlives;
    }
    expect(pings).toBe(1);
    expect(got.map((b) => b.toString())).toEqual([invite, invite]);
    expect(framer.push(Buffer.from('\x00\x01garbage')).error?.reason).toBe('Garbage on stream');
  });

  it('parses a response', () => {
    const r = parseMessage(Buffer.from('SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1\r\nContent-Length: 0\r\n\r\n'));
    if (!r.ok) throw r.error;
    expect(r.value).toBeInstanceOf(SipResponse);
    expect((r.value as SipResponse).status).toBe(200);
  });

  it('copies Record-Route into dialog-creating responses only (§12.1.1)', () => {
    const withRr = invite.replace(
      'Max-Forwards: 70',
      'Record-Route: <sip:127.0.0.5;lr>, <sip:127.0.0.6;lr>\r\nMax-Forwards: 70',
    );
    const r = parseMessage(Buffer.from(withRr));
    if (!r.ok) throw r.error;
    const req = r.value as SipRequest;
    expect(createResponse(req, 200, undefined, { toTag: 'a' }).recordRoutes.map((n) => n.uri.host)).toEqual([
      '127.0.0.5',
      '127.0.0.6',
    ]);
    expect(createResponse(req, 180, undefined, { toTag: 'a' }).headers.has('record-route')).toBe(true);
    expect(createResponse(req, 100).headers.has('record-route')).toBe(false);
    expect(createResponse(req, 486, undefined, { toTag: 'a' }).headers.has('record-route')).toBe(false);
  });

  it('ignores CRLFs before the start line; a CRLF-only datagram is an empty message', () => {
    const r = parseMessage(Buffer.from('\r\n\r\n' + invite));
    expect(r.ok && (r.value as SipRequest).method).toBe('INVITE');
    const ping = parseMessage(Buffer.from('\r\n\r\n'));
    expect(ping.ok).toBe(false);
    if (!ping.ok) expect([ping.error.reason, ping.partial]).toEqual(['Empty message', undefined]);
  });

  it('accepts UTF-8 in unquoted display names and _ in host names, as real equipment sends them', () => {
    const r = parseMessage(
      Buffer.from(invite.replace('"Room 12" <sip:room12@127.0.0.2>', 'Salle Dupré <sip:room12@room_12.local>')),
    );
    if (!r.ok) throw r.error;
    expect((r.value as SipRequest).from.displayName).toBe('Salle Dupré');
    expect((r.value as SipRequest).from.uri.host).toBe('room_12.local');
  });

  it('rewrites the Request-URI by text or by Uri, and reads a wildcard Contact (§10.2.2)', () => {
    const r = parseMessage(Buffer.from(invite.replace('Contact: <sip:room12@127.0.0.2:5062>', 'Contact: *')));
    if (!r.ok) throw r.error;
    const req = r.value as SipRequest;
    expect(req.isWildcardContact).toBe(true);
    expect(req.contacts).toEqual([]);
    req.uri = 'sip:4022@127.0.0.1';
    expect(req.requestUri.user).toBe('4022');
    const target = req.requestUri.clone();
    target.port = 5070;
    req.requestUri = target;
    expect(serialize(req).toString().startsWith('INVITE sip:4022@127.0.0.1:5070 SIP/2.0\r\n')).toBe(true);
    expect(newCallId('127.0.0.1')).toMatch(/^[0-9a-f]{24}@127\.0\.0\.1$/);
    expect(newCallId()).not.toBe(newCallId());
  });

  it('reads an ISO-8859-1 display name as Latin-1 and forwards it as UTF-8', () => {
    const latin1 = Buffer.from(invite.replace('"Room 12"', '"Salle Dupr\u00e9"'), 'latin1');
    const r = parseMessage(latin1);
    if (!r.ok) throw r.error;
    expect(r.value.from.displayName).toBe('Salle Dupré');
    expect(serialize(r.value).toString('utf8')).toContain('From: "Salle Dupré" <sip:room12@127.0.0.2>');
  });

  it('refuses binary noise at its first byte, with nothing to answer', () => {
    for (const first of [0x00, 0x01, 0x80, 0xff, 0x20, 0x3c]) {
      const r = parseMessage(Buffer.concat([Buffer.from([first]), Buffer.from(invite)]));
      expect(r.ok).toBe(false);
      if (!r.ok) expect([r.error.reason, r.partial]).toEqual(['Not a SIP message', undefined]);
    }
  });
});
