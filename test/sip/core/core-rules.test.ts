/**
 * UAS core rules (RFC 3261 §8.2, §11) and the transaction- and application-layer categories of
 * RFC 4475 (§3.2, §3.3), on messages written for confgate.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createRejectionResponse,
  parseMessage,
  serialize,
  serverHeaderValue,
  type SipRequest,
} from '../../../src/sip/message';
import {
  CONFGATE_POLICY,
  checkAccept,
  createOptionsResponse,
  forwardedMaxForwards,
  mergedRequestKey,
  rejectRequest,
} from '../../../src/sip/core';

function req(lines: string[], body = ''): SipRequest {
  const outcome = parseMessage(Buffer.from(lines.join('\r\n') + '\r\n\r\n' + body));
  if (!outcome.ok) throw outcome.error;
  if (!outcome.value.isRequest()) throw new Error('not a request');
  return outcome.value;
}

function options(over: Record<string, string | null> = {}, method = 'OPTIONS', uri = 'sip:conf@127.0.0.1'): SipRequest {
  const base: Record<string, string> = {
    Via: 'SIP/2.0/UDP 127.0.0.2:5062;branch=z9hG4bK-core-1;rport',
    'Max-Forwards': '70',
    From: '<sip:room@127.0.0.2>;tag=f1',
    To: '<sip:conf@127.0.0.1>',
    'Call-ID': 'core-rules-1@127.0.0.2',
    CSeq: `7 ${method}`,
  };
  const lines = [`${method} ${uri} SIP/2.0`];
  for (const [k, v] of Object.entries({ ...base, ...over })) if (v !== null) lines.push(`${k}: ${v}`);
  const body = over['Content-Type'] ? 'payload' : '';
  lines.push(`Content-Length: ${body.length}`);
  return req(lines, body);
}

const version = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string }
).version;

describe('core rules', () => {
  it('names confgate and its package.json version in Server', () => {
    expect(serverHeaderValue()).toBe(`confgate/${version}`);
  });

  it('answers OPTIONS with 200, Allow, Accept, Supported and Server (§11.2)', () => {
    const res = createOptionsResponse(options(), CONFGATE_POLICY, 'tag1');
    expect(res.status).toBe(200);
    expect(res.toTag).toBe('tag1');
    expect(res.headers.getAll('allow')).toEqual([...CONFGATE_POLICY.methods]);
    expect(res.headers.getAll('accept')).toContain('application/sdp');
    expect(res.headers.getAll('supported')).toEqual(['timer']);
    expect(res.headers.get('server')).toBe(`confgate/${version}`);
    expect(res.callId).toBe('core-rules-1@127.0.0.2');
    expect(res.cseq).toEqual({ seq: 7, method: 'OPTIONS' });
    expect(res.via.branch).toBe('z9hG4bK-core-1');
  });

  it('483 for Max-Forwards 0, except OPTIONS which is answered as the target (RFC 4475 §3.3.11)', () => {
    expect(rejectRequest(options({ 'Max-Forwards': '0' }, 'INVITE'), CONFGATE_POLICY)).toEqual({
      status: 483,
      reason: 'Too Many Hops',
    });
    expect(rejectRequest(options({ 'Max-Forwards': '0' }), CONFGATE_POLICY)).toBeUndefined();
    expect(rejectRequest(options({ 'Max-Forwards': '1' }, 'INVITE'), CONFGATE_POLICY)).toBeUndefined();
    expect(forwardedMaxForwards(options({ 'Max-Forwards': '5' }))).toBe(4);
    expect(forwardedMaxForwards(options({ 'Max-Forwards': null }))).toBe(70);
  });

  it('501 with Allow for an unknown method (RFC 3261 §8.2.1)', () => {
    const r = rejectRequest(options({}, 'NEWMETHOD'), CONFGATE_POLICY);
    expect(r?.status).toBe(501);
    const res = createRejectionResponse(options({}, 'NEWMETHOD'), r!, 't');
    expect(res.headers.get('allow')).toContain('INVITE');
    expect(res.headers.get('server')).toBe(serverHeaderValue());
  });

  it('416 for a Request-URI scheme it does not route (RFC 4475 `unkscm`, `novelsc`)', () => {
    expect(
      rejectRequest(options({}, 'OPTIONS', 'nobodyKnowsThisScheme:totallyopaquecontent'), CONFGATE_POLICY),
    ).toEqual({
      status: 416,
      reason: 'Unsupported URI Scheme',
    });
    expect(rejectRequest(options({}, 'OPTIONS', 'soap.beep://192.0.2.103:3002'), CONFGATE_POLICY)?.status).toBe(416);
    expect(
      rejectRequest(options({}, 'OPTIONS', 'tel:+33-1-23-45-67-89;phone-context=example.com'), CONFGATE_POLICY),
    ).toBeUndefined();
  });

  it('accepts unknown URI schemes in To, From and Contact (RFC 4475 §3.3.4)', () => {
    const r = options({
      To: 'isbn:2983792873',
      From: '<http://www.example.com>;tag=3234233',
      Contact: '<name:John_Smith>',
    });
    expect(rejectRequest(r, CONFGATE_POLICY)).toBeUndefined();
    expect(r.to.uri.scheme).toBe('isbn');
    expect(r.from.uri.toString()).toBe('http://www.example.com');
  });

  it('420 with Unsupported for unknown Require option-tags; Proxy-Require is ignored (RFC 4475 §3.3.5)', () => {
    const r = options(
      { Require: 'nothingSupportsThis, nothingSupportsThisEither', 'Proxy-Require': 'noProxiesSupportThis' },
      'INVITE',
    );
    const rejection = rejectRequest(r, CONFGATE_POLICY);
    expect(rejection).toEqual({
      status: 420,
      reason: 'Bad Extension',
      headers: [['Unsupported', 'nothingSupportsThis, nothingSupportsThisEither']],
    });
    expect(rejectRequest(options({ Require: 'timer' }, 'INVITE'), CONFGATE_POLICY)).toBeUndefined();
    expect(rejectRequest(options({ Require: 'foo' }, 'CANCEL'), CONFGATE_POLICY)).toBeUndefined();
  });

  it('415 with Accept for an unknown body type or encoding (RFC 4475 §3.3.6)', () => {
    const r = rejectRequest(options({ 'Content-Type': 'application/unknownformat' }, 'INVITE'), CONFGATE_POLICY);
    expect(r?.status).toBe(415);
    expect(r?.headers?.[0][0]).toBe('Accept');
    expect(
      rejectRequest(
        options({ 'Content-Type': 'application/sdp', 'Content-Encoding': 'gzip' }, 'INVITE'),
        CONFGATE_POLICY,
      )?.reason,
    ).toBe('Unsupported Content-Encoding');
    expect(
      rejectRequest(
        options(
          { 'Content-Type': 'application/unknownformat', 'Content-Disposition': 'render;handling=optional' },
          'INFO',
        ),
        CONFGATE_POLICY,
      ),
    ).toBeUndefined();
  });

  it('accepts both DTMF INFO body types and sipfrag NOTIFY bodies', () => {
    for (const type of ['application/dtmf-relay', 'application/dtmf']) {
      expect(rejectRequest(options({ 'Content-Type': type }, 'INFO'), CONFGATE_POLICY)).toBeUndefined();
    }
    expect(
      rejectRequest(options({ 'Content-Type': 'message/sipfrag;version=2.0' }, 'NOTIFY'), CONFGATE_POLICY),
    ).toBeUndefined();
  });

  it('406 when Accept excludes SDP for an INVITE that needs an SDP answer (RFC 4475 §3.3.15)', () => {
    expect(checkAccept(options({ Accept: 'text/nobodyknowsthis' }, 'INVITE'), 'application/sdp')?.status).toBe(406);
    expect(checkAccept(options({ Accept: 'application/*' }, 'INVITE'), 'application/sdp')).toBeUndefined();
    expect(checkAccept(options({}, 'INVITE'), 'application/sdp')).toBeUndefined();
  });

  it('accepts an unknown Authorization scheme (RFC 4475 §3.3.7)', () => {
    expect(
      rejectRequest(options({ Authorization: 'NoOneKnowsThisScheme opaque-data=here' }), CONFGATE_POLICY),
    ).toBeUndefined();
  });

  it('400 for missing or repeated single-value headers (RFC 4475 §3.3.1, §3.3.8)', () => {
    expect(rejectRequest(options({ 'Call-ID': null }), CONFGATE_POLICY)).toEqual({
      status: 400,
      reason: 'Missing Call-ID header',
    });
    expect(rejectRequest(options({ From: null }), CONFGATE_POLICY)).toEqual({
      status: 400,
      reason: 'Missing From header',
    });
    expect(rejectRequest(options({ Via: null }), CONFGATE_POLICY)).toEqual({
      status: 400,
      reason: 'Missing Via header',
    });
    const twice = req([
      'INVITE sip:conf@127.0.0.1 SIP/2.0',
      'Via: SIP/2.0/UDP 127.0.0.2;branch=z9hG4bK-multi',
      'Max-Forwards: 70',
      'From: <sip:a@127.0.0.2>;tag=1',
      'To: <sip:b@127.0.0.1>',
      'To: <sip:c@127.0.0.1>',
      'Call-ID: multi01@127.0.0.2',
      'CSeq: 1 INVITE',
      'Content-Length: 0',
    ]);
    expect(rejectRequest(twice, CONFGATE_POLICY)).toEqual({ status: 400, reason: 'Multiple To headers' });
    expect(rejectRequest(options({ To: '<sip:b@127.0.0.1>, <sip:c@127.0.0.1>' }), CONFGATE_POLICY)?.status).toBe(400);
  });

  it('400 for conflicting Content-Length values (RFC 4475 §3.3.9)', () => {
    const outcome = parseMessage(
      Buffer.from(
        'INVITE sip:conf@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.2;branch=z9hG4bK-mcl\r\nFrom: <sip:a@127.0.0.2>;tag=1\r\nTo: <sip:b@127.0.0.1>\r\n' +
          'Call-ID: mcl01@127.0.0.2\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\nContent-Length: 7\r\n\r\npayload',
      ),
    );
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.reason).toBe('Conflicting Content-Length values');
  });

  it('a 200 OK with a broadcast Via still parses; the transport drops it for not being ours (RFC 4475 §3.3.10)', () => {
    const outcome = parseMessage(
      Buffer.from(
        'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.198;branch=z9hG4bK1324923\r\nVia: SIP/2.0/UDP 255.255.255.255;branch=z9hG4bK1saber23\r\n' +
          'Call-ID: bcast.0384840201234ksdfak3j2erwedfsASdf\r\nCSeq: 35 INVITE\r\nFrom: sip:user@example.com;tag=11141343\r\n' +
          'To: sip:user@example.edu;tag=2229\r\nContent-Length: 0\r\n\r\n',
      ),
    );
    expect(outcome.ok && outcome.value.vias[1].host).toBe('255.255.255.255');
  });

  it('REGISTER Contact parameters: header params outside <>, URI params inside (RFC 4475 §3.3.12-14)', () => {
    const outside = options({ Contact: 'sip:+19725552222@gw1.example.net;unknownparam' }, 'INVITE');
    expect(outside.contacts[0].params.get('unknownparam')).toBeNull();
    expect(outside.contacts[0].uri.params.size).toBe(0);
    const inside = options({ Contact: '<sip:+19725552222@gw1.example.net;unknownparam>' }, 'INVITE');
    expect(inside.contacts[0].uri.params.get('unknownparam')).toBeNull();
    const escaped = options({ Contact: '<sip:user@example.com?Route=%3Csip:sip.example.com%3E>' }, 'INVITE');
    expect(rejectRequest(escaped, CONFGATE_POLICY)).toBeUndefined();
    expect(escaped.contacts[0].uri.headers).toEqual([['Route', '%3Csip:sip.example.com%3E']]);
  });

  it('400 for a branch that is the magic cookie alone (RFC 4475 §3.2.1)', () => {
    expect(rejectRequest(options({ Via: 'SIP/2.0/UDP 127.0.0.2;branch=z9hG4bK' }), CONFGATE_POLICY)).toEqual({
      status: 400,
      reason: 'Missing transaction identifier in Via branch',
    });
  });

  it('482 for a merged request: same From tag, Call-ID, CSeq on another branch (§8.2.2.2)', () => {
    const first = options({}, 'INVITE');
    const ongoing = new Map([[mergedRequestKey(first), first.branch!]]);
    const branchOf = (key: string) => ongoing.get(key);
    expect(rejectRequest(first, CONFGATE_POLICY, { branchOf })).toBeUndefined();
    const merged = options({ Via: 'SIP/2.0/UDP 127.0.0.3:5062;branch=z9hG4bK-other-path' }, 'INVITE');
    expect(rejectRequest(merged, CONFGATE_POLICY, { branchOf })).toEqual({ status: 482, reason: 'Loop Detected' });
    const inDialog = options(
      { Via: 'SIP/2.0/UDP 127.0.0.3;branch=z9hG4bK-x', To: '<sip:conf@127.0.0.1>;tag=t' },
      'INVITE',
    );
    expect(rejectRequest(inDialog, CONFGATE_POLICY, { branchOf })).toBeUndefined();
  });

  it('482 for a request that already passed through confgate (own sent-by in Via, §16.3)', () => {
    const looped = options(
      { Via: 'SIP/2.0/UDP 127.0.0.5:5070;branch=z9hG4bK-a, SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-b' },
      'INVITE',
    );
    expect(rejectRequest(looped, CONFGATE_POLICY, { localSentBys: new Set(['127.0.0.1:5060']) })?.status).toBe(482);
    expect(rejectRequest(looped, CONFGATE_POLICY, { localSentBys: new Set(['127.0.0.1:5080']) })).toBeUndefined();
  });

  it('a rejection response serializes with Content-Length 0 and the To tag', () => {
    const r = options({ Require: 'foo' }, 'INVITE');
    const text = serialize(createRejectionResponse(r, rejectRequest(r, CONFGATE_POLICY)!, 'zz')).toString();
    expect(text.startsWith('SIP/2.0 420 Bad Extension\r\n')).toBe(true);
    expect(text).toContain('To: <sip:conf@127.0.0.1>;tag=zz\r\n');
    expect(text).toContain('Unsupported: foo\r\n');
    expect(text.endsWith('Content-Length: 0\r\n\r\n')).toBe(true);
  });
});
