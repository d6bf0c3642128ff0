import { SipStreamFramer, parseMessage } from '../../../src/sip/message';
import { LOOPBACK_INVITE, sip } from './sip-message-fixtures';

const OPTIONS = sip([
  'OPTIONS sip:conf@127.0.0.1 SIP/2.0',
  'v: SIP/2.0/TCP 127.0.0.2:5062;branch=z9hG4bK-tcp-1',
  'f: <sip:mcu@127.0.0.2>;tag=1',
  't: <sip:conf@127.0.0.1>',
  'i: tcp-1@127.0.0.2',
  'CSeq: 1 OPTIONS',
  'l: 0',
]);

describe('SipStreamFramer (RFC 3261 §18.3, RFC 5626 §3.5.1)', () => {
  it('cuts back-to-back messages of one chunk, compact Content-Length included', () => {
    const framer = new SipStreamFramer();
    const out = framer.push(Buffer.concat([OPTIONS, LOOPBACK_INVITE, OPTIONS]));
    expect(out.messages.map((m) => m.length)).toEqual([OPTIONS.length, LOOPBACK_INVITE.length, OPTIONS.length]);
    expect(out.error).toBeUndefined();
    for (const m of out.messages) expect(parseMessage(m).ok).toBe(true);
  });

  it('holds a partial message until the rest arrives, including a body split in two', () => {
    const framer = new SipStreamFramer();
    const cut = LOOPBACK_INVITE.length - 20;
    expect(framer.push(LOOPBACK_INVITE.subarray(0, cut)).messages).toEqual([]);
    expect(framer.bufferedBytes).toBe(cut);
    const out = framer.push(LOOPBACK_INVITE.subarray(cut));
    expect(out.messages).toHaveLength(1);
    expect(out.messages[0].equals(LOOPBACK_INVITE)).toBe(true);
    expect(framer.bufferedBytes).toBe(0);
  });

  it('counts double-CRLF pings, also split across chunks, and skips single-CRLF pongs', () => {
    const framer = new SipStreamFramer();
    expect(framer.push(Buffer.from('\r\n\r\n\r\n\r\n')).keepAlives).toBe(2);
    expect(framer.push(Buffer.from('\r\n')).keepAlives).toBe(0);
    expect(framer.push(Buffer.from('\r\n')).keepAlives).toBe(1);
    const out = framer.push(Buffer.concat([Buffer.from('\r\n'), OPTIONS]));
    expect(out.keepAlives).toBe(0);
    expect(out.messages).toHaveLength(1);
  });

  it('errors on garbage, and stays failed: the connection must be closed', () => {
    const framer = new SipStreamFramer();
    const out = framer.push(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00]));
    expect(out.error?.reason).toBe('Garbage on stream');
    expect(framer.push(OPTIONS).error?.reason).toBe('Garbage on stream');
    expect(framer.push(OPTIONS).messages).toEqual([]);
  });

  it('errors on a message without Content-Length, with a bad one, or with conflicting ones', () => {
    const noLength = sip(['OPTIONS sip:conf@127.0.0.1 SIP/2.0', 'CSeq: 1 OPTIONS']);
    expect(new SipStreamFramer().push(noLength).error?.reason).toBe('Missing Content-Length on stream');
    const negative = sip(['OPTIONS sip:conf@127.0.0.1 SIP/2.0', 'Content-Length: -5']);
    expect(new SipStreamFramer().push(negative).error?.reason).toBe('Bad Content-Length');
    const twice = sip(['OPTIONS sip:conf@127.0.0.1 SIP/2.0', 'Content-Length: 0', 'l: 3']);
    expect(new SipStreamFramer().push(twice).error?.reason).toBe('Conflicting Content-Length values');
  });

  it('bounds memory: endless headers or a huge Content-Length give 513 instead of buffering', () => {
    const framer = new SipStreamFramer(1024);
    let error;
    for (let i = 0; i < 100 && !error; i++)
      error = framer.push(
        Buffer.from(i === 0 ? 'INVITE sip:x SIP/2.0\r\n' : 'X-Flood: ' + 'a'.repeat(100) + '\r\n'),
      ).error;
    expect(error?.status).toBe(513);
    expect(framer.bufferedBytes).toBe(0);
    const huge = sip(['INVITE sip:x SIP/2.0', 'Content-Length: 4000000000']);
    const out = new SipStreamFramer(1024).push(huge);
    expect(out.error?.reason).toBe('Message Too Large');
  });

  it('frames a large message fed one byte at a time, then a whole one from the same connection', () => {
    const body = 'v=0\r\n'.repeat(2000);
    const big = sip(
      ['INFO sip:conf@127.0.0.1 SIP/2.0', 'Content-Type: text/plain', `Content-Length: ${body.length}`],
      body,
    );
    const framer = new SipStreamFramer();
    const got: Buffer[] = [];
    for (let i = 0; i < big.length; i++) got.push(...framer.push(big.subarray(i, i + 1)).messages);
    expect(got).toHaveLength(1);
    expect(got[0].equals(big)).toBe(true);
    expect(framer.bufferedBytes).toBe(0);
    const next = framer.push(OPTIONS);
    expect(next.messages).toHaveLength(1);
    expect(next.messages[0].equals(OPTIONS)).toBe(true);
  });
});
