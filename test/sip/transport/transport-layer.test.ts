import pino from 'pino';
import { Writable } from 'node:stream';
import { Srf } from '../../../src/sip/srf/srf';
import { options, rawTcp, RawUdpPeer } from './raw-peer';

/** Collects pino lines so a test can check that something was logged. */
function logSink(): { log: pino.Logger; lines: () => Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _e, cb) {
      for (const l of chunk.toString().split('\n')) if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { log: pino({ level: 'debug' }, stream), lines: () => lines };
}

describe('SIP transport layer', () => {
  let srf: Srf;
  let sink: ReturnType<typeof logSink>;
  let udp: number;
  let tcp: number;
  beforeEach(async () => {
    sink = logSink();
    srf = new Srf({
      listen: [
        { protocol: 'udp', host: '127.0.0.1', port: 0 },
        { protocol: 'tcp', host: '127.0.0.1', port: 0 },
      ],
      maxMessageBytes: 4000,
      log: sink.log,
    });
    await srf.listen();
    udp = srf.address('udp').port;
    tcp = srf.address('tcp').port;
  });
  afterEach(() => srf.close());

  it('stamps received and rport on the top Via and answers the packet source, not the sent-by (RFC 3581)', async () => {
    const peer = await RawUdpPeer.open();
    peer.send(options(`confgate@127.0.0.1:${udp}`, 'SIP/2.0/UDP 127.0.0.9:9;branch=z9hG4bK-rport1;rport'), udp);
    const [res] = await peer.waitFor(1);
    expect(res).toMatch(/^SIP\/2\.0 200 OK/);
    expect(res).toContain(`Via: SIP/2.0/UDP 127.0.0.9:9;branch=z9hG4bK-rport1;rport=${peer.port};received=127.0.0.1`);
    peer.close();
  });

  it('without rport, answers received at the sent-by port (RFC 3261 §18.2.2)', async () => {
    const sender = await RawUdpPeer.open();
    const listener = await RawUdpPeer.open();
    sender.send(
      options(`confgate@127.0.0.1:${udp}`, `SIP/2.0/UDP localhost:${listener.port};branch=z9hG4bK-norport`),
      udp,
    );
    const [res] = await listener.waitFor(1);
    expect(res).toContain(`Via: SIP/2.0/UDP localhost:${listener.port};branch=z9hG4bK-norport;received=127.0.0.1`);
    expect(sender.received).toEqual([]);
    sender.close();
    listener.close();
  });

  it('answers OPTIONS with Allow, Accept, Supported and Server (RFC 3261 §11.2)', async () => {
    const peer = await RawUdpPeer.open();
    peer.send(options(`confgate@127.0.0.1:${udp}`, `SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bK-opt`), udp);
    const [res] = await peer.waitFor(1);
    expect(res).toMatch(/\r\nAllow: INVITE, ACK, BYE, CANCEL, OPTIONS/);
    expect(res).toMatch(/\r\nAccept: application\/sdp/);
    expect(res).toMatch(/\r\nSupported: timer/);
    expect(res).toMatch(/\r\nServer: confgate\/\d/);
    expect(res).toMatch(/\r\nTo: <sip:confgate@127\.0\.0\.1:\d+>;tag=\w+/);
    peer.close();
  });

  it.each([
    ['a bad CSeq', 'CSeq: x OPTIONS', /^SIP\/2\.0 400 /],
    ['an unknown method', null, /^SIP\/2\.0 501 /],
    ['an unsupported Require', 'Require: 100rel-nope', /^SIP\/2\.0 420 Bad Extension[\s\S]*Unsupported: 100rel-nope/],
  ])('rejects %s with the right status and keeps running', async (_what, extra, expected) => {
    const peer = await RawUdpPeer.open();
    let msg = options(`confgate@127.0.0.1:${udp}`, `SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bK-bad1`);
    if (extra?.startsWith('CSeq')) msg = msg.replace('CSeq: 1 OPTIONS', extra);
    else if (extra) msg = msg.replace('Content-Length: 0', `${extra}\nContent-Length: 0`);
    else msg = msg.replace(/OPTIONS/g, 'FROBNICATE');
    peer.send(msg, udp);
    const [res] = await peer.waitFor(1);
    expect(res).toMatch(expected);
    peer.send(options(`confgate@127.0.0.1:${udp}`, `SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bK-after`), udp);
    expect((await peer.waitFor(2))[1]).toMatch(/^SIP\/2\.0 200 OK/);
    peer.close();
  });

  it('answers 483 when Max-Forwards is 0 on an INVITE, and 481 to a BYE of no dialog', async () => {
    const peer = await RawUdpPeer.open();
    const base = options(`confgate@127.0.0.1:${udp}`, `SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bK-mf0`);
    peer.send(
      base
        .replace(/OPTIONS/g, 'INVITE')
        .replace('Max-Forwards: 70', 'Max-Forwards: 0')
        .replace('CSeq: 1 INVITE', 'CSeq: 1 INVITE\nContact: <sip:probe@127.0.0.1>'),
      udp,
    );
    const bye = options(`confgate@127.0.0.1:${udp}`, `SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bK-bye481`)
      .replace(/OPTIONS/g, 'BYE')
      .replace(/(To: <[^>]+>)/, '$1;tag=nosuch');
    peer.send(bye, udp);
    const res = await peer.waitFor(2);
    expect(res.find((r) => r.includes('CSeq: 1 INVITE'))).toMatch(/^SIP\/2\.0 483 /);
    expect(res.find((r) => r.includes('CSeq: 1 BYE'))).toMatch(/^SIP\/2\.0 481 /);
    peer.close();
  });

  it('drops garbage and an oversized datagram with a log line, and keeps answering', async () => {
    const peer = await RawUdpPeer.open();
    peer.send(Buffer.from([0, 1, 2, 3, 255, 13, 10, 13, 10]), udp);
    peer.send(
      options(
        `confgate@127.0.0.1:${udp}`,
        `SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bK-big`,
        `X-Pad: ${'x'.repeat(5000)}`,
      ),
      udp,
    );
    peer.send(options(`confgate@127.0.0.1:${udp}`, `SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bK-small`), udp);
    const res = await peer.waitFor(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(res).toHaveLength(1);
    expect(res[0]).toContain('z9hG4bK-small');
    expect(sink.lines().some((l) => l.msg === 'sip udp datagram over the size limit dropped')).toBe(true);
    expect(sink.lines().some((l) => l.msg === 'sip unusable message dropped')).toBe(true);
    peer.close();
  });

  it('frames TCP by Content-Length, answers on the same connection, and closes a stream over the size limit', async () => {
    const c = await rawTcp(tcp);
    const msg = (branch: string): string =>
      options(`confgate@127.0.0.1:${tcp};transport=tcp`, `SIP/2.0/TCP 127.0.0.1:5999;branch=${branch}`).replace(
        /\n/g,
        '\r\n',
      );
    // Two messages in one write, the second split across writes.
    const both = msg('z9hG4bK-t1') + msg('z9hG4bK-t2');
    c.socket.write(both.slice(0, both.length - 30));
    await new Promise((r) => setTimeout(r, 50));
    c.socket.write(both.slice(both.length - 30));
    const end = Date.now() + 2000;
    while ((c.data().match(/SIP\/2\.0 200 OK/g) ?? []).length < 2 && Date.now() < end)
      await new Promise((r) => setTimeout(r, 10));
    expect(c.data()).toContain('z9hG4bK-t1');
    expect(c.data()).toContain('z9hG4bK-t2');
    c.socket.write(`OPTIONS sip:x@127.0.0.1 SIP/2.0\r\nX-Pad: ${'y'.repeat(6000)}`);
    const until = Date.now() + 2000;
    while (!c.closed() && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    expect(c.closed()).toBe(true);
    expect(sink.lines().some((l) => l.msg === 'sip stream unusable, connection closed')).toBe(true);
  });
});

describe('loop detection', () => {
  it('answers 482 to a request that already went through this stack (own sent-by in a Via)', async () => {
    const srf = new Srf({ listen: [{ protocol: 'udp', host: '127.0.0.1', port: 0 }], log: pino({ level: 'silent' }) });
    await srf.listen();
    try {
      const udp = srf.address('udp').port;
      const peer = await RawUdpPeer.open();
      const msg = options(`confgate@127.0.0.1:${udp}`, `SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bK-loop1;rport`)
        .replace('Max-Forwards: 70', `Via: SIP/2.0/UDP 127.0.0.1:${udp};branch=z9hG4bK-ours\nMax-Forwards: 70`)
        .replace(/OPTIONS/g, 'INFO');
      peer.send(msg, udp);
      const [res] = await peer.waitFor(1);
      expect(res).toMatch(/^SIP\/2\.0 482 Loop Detected/);
      peer.close();
    } finally {
      await srf.close();
    }
  });
});
