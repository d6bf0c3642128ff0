import { networkInterfaces } from 'node:os';
import { serializeRtpPacket, type RtpPacket } from '../../src/media/rtp/rtp-packet';
import { RtpPortAllocator } from '../../src/media/rtp/rtp-port-allocator';
import { RtpSession } from '../../src/media/rtp/rtp-session';
import { openRtpSocketPair } from '../../src/media/rtp/open-rtp-socket-pair';
import { rtpSocketBackend } from '../../src/media/rtp/select-rtp-socket-backend';
import { sleep, UdpPeer as Peer, waitFor } from './support/udp-peer';

function rtp(sequenceNumber: number, ssrc = 7, payloadType = 0): Buffer {
  const payload = Uint8Array.from({ length: 160 }, (_, i) => (sequenceNumber * 31 + i) & 0xff);
  return serializeRtpPacket({
    marker: false,
    payloadType,
    sequenceNumber,
    timestamp: sequenceNumber * 160,
    ssrc,
    payload,
  });
}

const ipv6 = Object.values(networkInterfaces()).some((addresses) => addresses?.some((a) => a.address === '::1'));

/** The same contract for every RTP I/O backend: the session logic is shared, only the socket I/O differs. */
describe.each(['native', 'dgram'] as const)('RtpSession over the %s backend', (kind) => {
  const backend = rtpSocketBackend(kind);
  let allocator: RtpPortAllocator;
  const cleanup: Array<() => Promise<void>> = [];
  beforeEach(() => {
    allocator = new RtpPortAllocator(kind === 'native' ? 24000 : 24200, kind === 'native' ? 24199 : 24399);
  });
  afterEach(async () => {
    await Promise.all(cleanup.splice(0).map((close) => close()));
    expect(allocator.inUse).toBe(0);
  });
  async function session(
    onPacket: (p: RtpPacket) => void = () => undefined,
    bindAddress = '127.0.0.1',
  ): Promise<RtpSession> {
    const s = new RtpSession(await openRtpSocketPair(allocator, bindAddress, backend), onPacket);
    cleanup.push(() => s.close());
    return s;
  }
  async function peer(type: 'udp4' | 'udp6' = 'udp4'): Promise<Peer> {
    const p = await Peer.open(type);
    cleanup.push(() => p.close());
    return p;
  }

  test('runs on the backend asked for', async () => {
    expect((await session()).backend).toBe(kind);
  });

  test('sends exact bytes in order to the SDP address, then to the latched source; a re-used buffer is safe', async () => {
    const sdp = await peer();
    const natted = await peer();
    const s = await session();
    s.setRemote({ address: '127.0.0.1', port: sdp.port });
    // One buffer rewritten packet after packet, as OutboundRtpStream does unless send() says it is held.
    let buffer = Buffer.alloc(172);
    const sent: Buffer[] = [];
    const sendSeq = (seq: number): void => {
      rtp(seq).copy(buffer);
      sent.push(Buffer.from(buffer));
      if (s.send(buffer)) buffer = Buffer.alloc(172);
    };
    for (let seq = 0; seq < 20; seq++) sendSeq(seq);
    await waitFor(() => sdp.datagrams.length === 20);
    expect(sdp.datagrams).toEqual(sent.slice(0, 20));
    await natted.send(s.port, rtp(500, 99));
    await waitFor(() => s.stats.received === 1);
    expect(s.destination).toEqual({ address: '127.0.0.1', port: natted.port });
    for (let seq = 20; seq < 40; seq++) sendSeq(seq);
    await waitFor(() => natted.datagrams.length === 20);
    expect(natted.datagrams).toEqual(sent.slice(20));
    await sleep(30);
    expect(sdp.datagrams).toHaveLength(20);
    expect(s.stats).toMatchObject({ sent: 40, sendDropped: 0 });
  });

  test('latches to the first source, drops RTP from others (injection), a new SDP undoes the latch', async () => {
    const caller = await peer();
    const intruder = await peer();
    const received: number[] = [];
    const s = await session((p) => received.push(p.sequenceNumber));
    s.setRemote({ address: '127.0.0.1', port: caller.port });
    await caller.send(s.port, rtp(1));
    await waitFor(() => received.length === 1);
    await intruder.send(s.port, rtp(2));
    // Another loopback address with the caller's very port: a foreign source too.
    const sameport = await Peer.open('udp4', '127.0.0.2', caller.port);
    cleanup.push(() => sameport.close());
    await sameport.send(s.port, rtp(5));
    await caller.send(s.port, rtp(3));
    await waitFor(() => received.length === 2);
    await sleep(30);
    // Dropped by the session (foreignSource) or, once the socket is connected, by the kernel.
    expect(received).toEqual([1, 3]);
    const moved = await peer();
    s.setRemote({ address: '127.0.0.1', port: moved.port });
    expect(s.destination).toEqual({ address: '127.0.0.1', port: moved.port });
    // Unlatched: the next valid source latches again, and it may be a former intruder (here the one
    // on 127.0.0.2 with the caller's port: its address must be told from the caller's).
    await sameport.send(s.port, rtp(4));
    await waitFor(() => received.length === 3);
    expect(s.destination).toEqual({ address: '127.0.0.2', port: caller.port });
    s.send(rtp(9));
    await waitFor(() => sameport.datagrams.length === 1);
    expect(sameport.datagrams[0]).toEqual(rtp(9));
    expect(moved.datagrams).toHaveLength(0);
    expect(caller.datagrams).toHaveLength(0);
    expect(intruder.datagrams).toHaveLength(0);
  });

  test('junk of any size never crashes: counted as malformed; RTCP on either port is counted', async () => {
    const caller = await peer();
    const received: RtpPacket[] = [];
    // Copied: the datagram (and so the payload) is only valid during the call on the native backend.
    const s = await session((p) => received.push({ ...p, payload: Uint8Array.from(p.payload) }));
    const junk = [
      Buffer.alloc(0),
      Buffer.from([0x80]),
      Buffer.alloc(11, 0x80),
      Buffer.alloc(172, 0x40),
      Buffer.alloc(1500, 0xff),
      Buffer.from('INVITE sip:x SIP/2.0\r\n'),
    ];
    for (const datagram of junk) await caller.send(s.port, datagram);
    await caller.send(s.port, Buffer.from([0x80, 200, 0, 6, 0, 0, 0, 1])); // RTCP SR multiplexed (RFC 5761)
    await caller.send(s.port + 1, Buffer.from([0x80, 201, 0, 1, 0, 0, 0, 42]));
    await caller.send(s.port + 1, Buffer.alloc(3000, 7)); // anything on the RTCP port is counted, whatever its size
    await caller.send(s.port, rtp(1));
    await waitFor(() => received.length === 1 && s.stats.rtcp === 3);
    expect(s.stats).toMatchObject({ malformed: junk.length, rtcp: 3, received: 1, foreignSource: 0 });
    expect(Buffer.from(received[0]!.payload)).toEqual(rtp(1).subarray(12));
  });

  test('a packet handler that throws is counted; the session goes on', async () => {
    const caller = await peer();
    let calls = 0;
    const s = await session(() => {
      calls++;
      throw new Error('bug above');
    });
    for (let seq = 0; seq < 5; seq++) await caller.send(s.port, rtp(seq));
    await waitFor(() => s.stats.handlerErrors === 5);
    expect(calls).toBe(5);
  });

  test('hold (no remote) sends nothing and says the buffer is free; after close nothing is delivered and the port binds again', async () => {
    const caller = await peer();
    let received = 0;
    const s = await session(() => received++);
    expect(s.send(rtp(1))).toBe(false);
    expect(s.stats.sent).toBe(0);
    const port = s.port;
    await caller.send(port, rtp(1));
    await waitFor(() => received === 1);
    await s.close();
    await caller.send(port, rtp(2)).catch(() => undefined);
    await sleep(30);
    expect(received).toBe(1);
    // The same ports are free at once for another socket, of either backend.
    const again = await openRtpSocketPair(new RtpPortAllocator(port, port + 1), '127.0.0.1', backend);
    expect(again.port).toBe(port);
    await again.close();
  });

  (ipv6 ? test : test.skip)('IPv6: binds ::1, latches an IPv6 source and answers it', async () => {
    const caller = await peer('udp6');
    const s = await session(() => undefined, '::1');
    await caller.send(s.port, rtp(1));
    await waitFor(() => s.stats.received === 1);
    expect(s.destination).toEqual({ address: '::1', port: caller.port });
    s.send(rtp(2));
    await waitFor(() => caller.datagrams.length === 1);
    expect(caller.datagrams[0]).toEqual(rtp(2));
  });
});
