/**
 * RFC 4475 §3.1.1 (valid messages) and §3.4 (RFC 2543 compatibility): messages written for
 * confgate in each category of the torture tests. Each must parse, validate and expose the right
 * values. Pure parser tests: documentation addresses (RFC 5737) are fine here, nothing is sent.
 */
import { parseMessage, serialize, type SipResponse } from '../../../src/sip/message';
import { request, sip, verdict } from './sip-message-fixtures';

describe('RFC 4475 §3.1.1 valid messages', () => {
  it('§3.1.1.1 a short tortuous INVITE: folding, compact forms, odd case and white space', () => {
    const bytes = sip(
      [
        'INVITE sip:alice.w@conf.example.net;unknownparam SIP/2.0',
        'tO  :',
        ' sip:alice.w@conf.example.net ;   tag    = 8321234356',
        'froM   : "B. O\'Brien \\\\\\""       <sip:bob@example.org>',
        '  ;',
        '  tag = 98asjd8',
        'MaX-fOrWaRdS: 0068',
        'i: tortuous.ndaksdj@192.0.2.1',
        'Content-Length   : 27',
        'cseq: 0009',
        '  INVITE',
        'Via  : SIP  /   2.0',
        ' /UDP',
        '    192.0.2.2;rport;branch=390skdjuw',
        's :',
        'NewFangledHeader:   newfangled value',
        ' continued newfangled value',
        'UnknownHeaderWithUnusualValue: ;;,,;;,;',
        'c: application/sdp',
        'Route:',
        ' <sip:services.example.com;lr;unknownwith=value;unknown-no-value>',
        'v:  SIP  / 2.0  / TCP     spindle.example.com   ;',
        '  branch  =   z9hG4bK9ikj8  ,',
        ' SIP  /    2.0   / UDP  192.168.255.111   ; branch=',
        ' z9hG4bK30239',
        'm:"Quoted string \\"\\"" <sip:bob@example.org> ; newparam =',
        '      newvalue ;',
        '  secondparam ; q = 0.33',
      ],
      'v=0\r\no=- 1 1 IN IP4 x\r\ns=-\r\n',
    );
    expect(verdict(bytes)).toBe('accept');
    const req = request(bytes);
    expect(req.to.uri.user).toBe('alice.w');
    expect(req.toTag).toBe('8321234356');
    expect(req.from.displayName).toBe('B. O\'Brien \\"');
    expect(req.fromTag).toBe('98asjd8');
    expect(req.maxForwards).toBe(68);
    expect(req.callId).toBe('tortuous.ndaksdj@192.0.2.1');
    expect(req.cseq).toEqual({ seq: 9, method: 'INVITE' });
    expect(req.vias.map((v) => [v.transport, v.host, v.branch])).toEqual([
      ['UDP', '192.0.2.2', '390skdjuw'],
      ['TCP', 'spindle.example.com', 'z9hG4bK9ikj8'],
      ['UDP', '192.168.255.111', 'z9hG4bK30239'],
    ]);
    expect(req.headers.get('subject')).toBe('');
    expect(req.headers.get('newfangledheader')).toBe('newfangled value continued newfangled value');
    expect(req.headers.get('UnknownHeaderWithUnusualValue')).toBe(';;,,;;,;');
    expect(req.routes[0].uri.params.get('unknownwith')).toBe('value');
    expect(req.routes[0].uri.params.get('unknown-no-value')).toBeNull();
    expect(req.contacts[0].displayName).toBe('Quoted string ""');
    expect(req.contacts[0].params.get('q')).toBe('0.33');
    expect(req.contacts[0].params.get('secondparam')).toBeNull();
    expect(req.body.length).toBe(27);
  });

  it('§3.1.1.2 wide range of valid characters in method, URI, tokens and quoted strings', () => {
    const method = "!odd-Method0123456789_*+`.%indeed'~";
    const user = "1_strange.URI~(to-be!sure)&isn't+it$/odd?,/;;*";
    const password = "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)";
    const bytes = sip([
      `${method} sip:${user}:${password}@example.com SIP/2.0`,
      "Via: SIP/2.0/TCP host1.example.com;branch=z9hG4bK-.!%66*_+`'~",
      `To: "BEL:\\\x07 NUL:\\\x00 DEL:\\\x7f" <sip:${user}@example.com>`,
      "From: token1~` token2'+_ token3*%!.- <sip:mundane@example.com>;fromParam''~+*_!.-%=\"работающий\";tag=_token~1'+`*%!-.",
      'Call-ID: odd.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{',
      `CSeq: 139122385 ${method}`,
      'Max-Forwards: 255',
      "extensionHeader-!.%*+_`'~:大停電",
      'Content-Length: 0',
    ]);
    const outcome = parseMessage(bytes);
    if (!outcome.ok) throw outcome.error;
    const req = request(bytes);
    expect(req.method).toBe(method);
    expect(req.requestUri.user).toBe(user);
    expect(req.requestUri.password).toBe(password);
    expect(req.branch).toBe("z9hG4bK-.!%66*_+`'~");
    expect(req.to.displayName).toBe('BEL:\x07 NUL:\x00 DEL:\x7f');
    expect(req.from.displayName).toBe("token1~` token2'+_ token3*%!.-");
    expect(req.fromTag).toBe("_token~1'+`*%!-.");
    expect(req.from.params.get("fromParam''~+*_!.-%")).toBe('"работающий"');
    expect(req.callId).toBe('odd.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{');
    expect(req.headers.get("EXTENSIONheader-!.%*+_`'~")).toBe('大停電');
    // Valid, but the method is unknown to this UAS: 501 (§8.2.1).
    expect(verdict(bytes)).toEqual({ status: 501, reason: 'Not Implemented' });
  });

  it('§3.1.1.3 valid use of the % escape in URIs', () => {
    const bytes = sip([
      'INVITE sip:sips%3Aroom%40example.com@example.net SIP/2.0',
      'To: sip:%72oom@example.com',
      'From: <sip:I%20have%20spaces@example.net>;tag=1234',
      'Max-Forwards: 87',
      'i: esc01.239409asdfakjkn23onasd0-3234',
      'CSeq: 234234 INVITE',
      'Via: SIP/2.0/UDP host5.example.net;branch=z9hG4bKkdjuw',
      'C: application/sdp',
      'Contact: <sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31>',
      'Content-Length: 0',
    ]);
    expect(verdict(bytes)).toBe('accept');
    const req = request(bytes);
    expect(req.requestUri.user).toBe('sips%3Aroom%40example.com');
    expect(req.requestUri.host).toBe('example.net');
    expect(req.contacts[0].uri.params.get('%6C%72')).toBeNull();
    expect(req.contacts[0].uri.params.get('n%61me')).toBe('v%61lue%25%34%31');
  });

  it('§3.1.1.4 escaped nulls in URIs', () => {
    const bytes = sip([
      'REGISTER sip:example.com SIP/2.0',
      'To: sip:null-%00-null@example.com',
      'From: sip:null-%00-null@example.com;tag=839923423',
      'Max-Forwards: 70',
      'Call-ID: escnull.39203ndfvkjdasfkq3w4otrq0adsfdfnavd',
      'CSeq: 14398234 REGISTER',
      'Via: SIP/2.0/UDP host5.example.com;branch=z9hG4bKkdjuw',
      'Contact: <sip:%00@host5.example.com>',
      'Contact: <sip:%00%00@host4.example.com>',
      'L:0',
    ]);
    expect(verdict(bytes)).toBe('accept');
    const req = request(bytes);
    expect(req.to.uri.user).toBe('null-%00-null');
    expect(req.fromTag).toBe('839923423');
    expect(req.contacts.map((c) => c.uri.user)).toEqual(['%00', '%00%00']);
  });

  it('§3.1.1.5 % used where it is not an escape (token characters)', () => {
    const bytes = sip([
      'RE%47IST%45R sip:registrar.example.com SIP/2.0',
      'To: "%Z%45" <sip:resource@example.com>',
      'From: "%11" <sip:resource@example.com>;tag=f232jadfj23',
      'Call-ID: esc02.asdfnqwo34rq23i34jrjasdcnl23nrlknsdf',
      'Via: SIP/2.0/TCP host.example.com;branch=z9hG4bK209%fzsnel234',
      'CSeq: 29344 RE%47IST%45R',
      'Max-Forwards: 70',
      'Contact: <sip:alias1@host1.example.com>',
      'C%6Fntact: <sip:alias2@host2.example.com>',
      'Contact: <sip:alias3@host3.example.com>',
      'l: 0',
    ]);
    const req = request(bytes);
    expect(req.method).toBe('RE%47IST%45R');
    expect(req.to.displayName).toBe('%Z%45');
    // C%6Fntact is another header name, not an escaped Contact.
    expect(req.contacts).toHaveLength(2);
    expect(req.headers.get('C%6Fntact')).toBe('<sip:alias2@host2.example.com>');
    expect(verdict(bytes)).toEqual({ status: 501, reason: 'Not Implemented' });
  });

  it('§3.1.1.6 no LWS between display name and <', () => {
    const bytes = sip([
      'OPTIONS sip:user@example.com SIP/2.0',
      'To: sip:user@example.com',
      'From: caller<sip:caller@example.com>;tag=323',
      'Max-Forwards: 70',
      'Call-ID: lwsdisp.1234abcd@funky.example.com',
      'CSeq: 60 OPTIONS',
      'Via: SIP/2.0/UDP funky.example.com;branch=z9hG4bKkdjuw',
      'l: 0',
    ]);
    expect(verdict(bytes)).toBe('accept');
    expect(request(bytes).from.displayName).toBe('caller');
  });

  it('§3.1.1.7 long values in header fields', () => {
    const long = 'a'.repeat(2000);
    const vias = Array.from(
      { length: 40 },
      (_, i) => `Via: SIP/2.0/TCP sip${i}.example.com:5060;branch=z9hG4bK${i}${long.slice(0, 100)}`,
    );
    const bytes = sip([
      'INVITE sip:user@example.com SIP/2.0',
      `To: "I have a user name of ${long} proportion" <sip:user@example.com:6000;unknownparam1=very${long};longparam${long}=shortvalue;unknownparam3=${long}>`,
      `From: sip:${long}@example.com;tag=12${long}`,
      `Call-ID: longreq.one${long}`,
      'CSeq: 3882340 INVITE',
      'Max-Forwards: 70',
      ...vias,
      `Contact: <sip:amazinglylongcallername${long}@host5.example.net>`,
      `X-Long: ${long}${long}${long}`,
      'Content-Length: 0',
    ]);
    expect(verdict(bytes)).toBe('accept');
    const req = request(bytes);
    expect(req.vias).toHaveLength(40);
    expect(req.to.uri.params.get(`longparam${long}`)).toBe('shortvalue');
    expect(req.fromTag).toBe(`12${long}`);
  });

  it('§3.1.1.8 extra trailing octets in a UDP datagram are ignored', () => {
    const first = sip([
      'REGISTER sip:example.com SIP/2.0',
      'To: sip:j.user@example.com',
      'From: sip:j.user@example.com;tag=43251j3j324',
      'Max-Forwards: 8',
      'I: dblreg.0ha0isndaksdj99sdfafnl3lk233412',
      'Contact: sip:j.user@host.example.com',
      'CSeq: 8 REGISTER',
      'Via: SIP/2.0/UDP 192.0.2.125;branch=z9hG4bKkdjuw23492',
      'Content-Length: 0',
    ]);
    const second = sip(['INVITE sip:joe@example.com SIP/2.0', 'Content-Length: 0']);
    const bytes = Buffer.concat([first, second]);
    expect(verdict(bytes)).toBe('accept');
    const req = request(bytes);
    expect(req.method).toBe('REGISTER');
    expect(req.body.length).toBe(0);
  });

  it('§3.1.1.9 semicolon-separated parameters in the URI user part', () => {
    const bytes = sip([
      'OPTIONS sip:user;par=u%40example.net@example.com SIP/2.0',
      'To: sip:j_user@example.com',
      'From: sip:caller@example.org;tag=33242',
      'Max-Forwards: 3',
      'Call-ID: semiuri.0ha0isndaksdj',
      'CSeq: 8 OPTIONS',
      'Accept: application/sdp, application/pkcs7-mime,',
      '        multipart/mixed, multipart/signed,',
      '        message/sip, message/sipfrag',
      'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKkdjuw',
      'l: 0',
    ]);
    expect(verdict(bytes)).toBe('accept');
    const req = request(bytes);
    expect(req.requestUri.user).toBe('user;par=u%40example.net');
    expect(req.requestUri.params.size).toBe(0);
    expect(req.headers.getAll('accept')).toHaveLength(6);
  });

  it('§3.1.1.10 varied and unknown transport types', () => {
    const bytes = sip([
      'OPTIONS sip:user@example.com SIP/2.0',
      'To: sip:user@example.com',
      'From: <sip:caller@example.com>;tag=323',
      'Max-Forwards: 70',
      'Call-ID: transports.kijh4akdnaqjkwendsasfdj',
      'Accept: application/sdp',
      'CSeq: 60 OPTIONS',
      'Via: SIP/2.0/UDP t1.example.com;branch=z9hG4bKkdjuw',
      'Via: SIP/2.0/SCTP t2.example.com;branch=z9hG4bKklasjdhf',
      'Via: SIP/2.0/TLS t3.example.com;branch=z9hG4bK2980unddj',
      'Via: SIP/2.0/UNKNOWN t4.example.com;branch=z9hG4bKasd0f3en',
      'Via: SIP/2.0/TCP t5.example.com;branch=z9hG4bK0a9idfnee',
      'l: 0',
    ]);
    expect(verdict(bytes)).toBe('accept');
    expect(request(bytes).vias.map((v) => v.transport)).toEqual(['UDP', 'SCTP', 'TLS', 'UNKNOWN', 'TCP']);
  });

  it('§3.1.1.11 multipart MIME body passes through as bytes', () => {
    const body = [
      '--boundary42',
      'Content-Type: application/sdp',
      '',
      'v=0',
      'o=- 1 1 IN IP4 192.0.2.1',
      's=-',
      '--boundary42',
      'Content-Type: application/octet-stream',
      '',
      '\u0000\u0001\u00ff binary part',
      '--boundary42--',
      '',
    ].join('\r\n');
    const length = Buffer.byteLength(body);
    const bytes = sip(
      [
        'MESSAGE sip:kumiko@example.org SIP/2.0',
        'Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-d87543-4dade06d0bdb11ee-1--d87543-;rport',
        'Max-Forwards: 70',
        'Route: <sip:127.0.0.1:5080>',
        'Identity: r5mwreLuyDRYBi/0TiPwEsY3rEVsk/G2WxhgTV1PF7hHuL',
        'To: <sip:kumiko@example.org>',
        'From: <sip:bob@example.com>;tag=2fb0dcc9',
        'Call-ID: 3d9485ad0c49859b@Zmo0MjQ3ZGNiNWJhNmZjOTgwYjVmNjQ1ZjI5ZmQ1Nzg.',
        'CSeq: 1 MESSAGE',
        'Content-Transfer-Encoding: binary',
        'Content-Type: multipart/mixed;boundary=boundary42',
        `Content-Length: ${length}`,
      ],
      body,
    );
    const req = request(bytes);
    expect(req.contentType).toBe('multipart/mixed');
    expect(req.body.equals(Buffer.from(body))).toBe(true);
    expect(serialize(req).subarray(-length).equals(Buffer.from(body))).toBe(true);
  });

  it('§3.1.1.12 unusual reason phrase (UTF-8, symbols)', () => {
    const bytes = sip([
      'SIP/2.0 200 = 2**3 * 5**2 но сто девяносто девять - простое',
      'Via: SIP/2.0/UDP 192.0.2.198;branch=z9hG4bK1324923',
      'Call-ID: unreason.1234ksdfak3j2erwedfsASdf',
      'CSeq: 35 INVITE',
      'From: sip:user@example.com;tag=11141343',
      'To: sip:user@example.edu;tag=2229',
      'Content-Length: 0',
    ]);
    const outcome = parseMessage(bytes);
    if (!outcome.ok) throw outcome.error;
    expect((outcome.value as SipResponse).reason).toBe('= 2**3 * 5**2 но сто девяносто девять - простое');
    expect(verdict(bytes)).toBe('accept');
  });

  it('§3.1.1.13 empty reason phrase', () => {
    const bytes = sip([
      'SIP/2.0 100 ',
      'Via: SIP/2.0/UDP 192.0.2.105;branch=z9hG4bK2398ndaoe',
      'Call-ID: noreason.asndj203insdf99223ndf',
      'CSeq: 35 INVITE',
      'From: <sip:user@example.com>;tag=39ansfi3',
      'To: <sip:user@example.edu>;tag=902jndnke3',
      'Content-Length: 0',
    ]);
    const outcome = parseMessage(bytes);
    if (!outcome.ok) throw outcome.error;
    expect((outcome.value as SipResponse).status).toBe(100);
    expect((outcome.value as SipResponse).reason).toBe('');
  });
});

describe('RFC 4475 §3.4 backward compatibility', () => {
  it('§3.4.1 accepts an RFC 2543 INVITE: no branch cookie, no From tag, no Max-Forwards', () => {
    const bytes = sip([
      'INVITE sip:UserB@example.com SIP/2.0',
      'Via: SIP/2.0/UDP iftgw.example.com',
      'From: <sip:+13035551111@ift.client.example.net;user=phone>',
      'Record-Route: <sip:UserB@example.com;maddr=ss1.example.com>',
      'To: sip:+16505552222@ss1.example.net;user=phone',
      'Call-ID: inv2543.1717@ift.client.example.com',
      'CSeq: 56 INVITE',
      'Content-Length: 0',
    ]);
    expect(verdict(bytes)).toBe('accept');
    const req = request(bytes);
    expect(req.branch).toBeUndefined();
    expect(req.via.isRfc3261Branch).toBe(false);
    expect(req.fromTag).toBeUndefined();
    expect(req.maxForwards).toBeUndefined();
    expect(req.to.params.get('user')).toBe('phone');
    expect(req.recordRoutes[0].uri.params.get('maddr')).toBe('ss1.example.com');
  });
});
