import { createSocket } from 'node:dgram';
import { readdirSync } from 'node:fs';
import { NativeRtpIo } from '../../src/media/rtp/native-rtp-io';
import { nativeSocketBackend } from '../../src/media/rtp/native-socket-pair';
import { serializeRtpPacket } from '../../src/media/rtp/rtp-packet';
import { RtpPortAllocator } from '../../src/media/rtp/rtp-port-allocator';
import { RtpSession } from '../../src/media/rtp/rtp-session';
import type { RtpSocketBackend } from '../../src/media/rtp/rtp-socket-backend';
import { openRtpSocketPair } from '../../src/media/rtp/open-rtp-socket-pair';
import type { RtpSocketPair } from '../../src/media/rtp/rtp-socket-pair';
import { rtpSocketBackend } from '../../src/media/rtp/select-rtp-socket-backend';
import { sleep, UdpPeer as Peer, waitFor } from './support/udp-peer';

/** An RTP packet whose every byte depends on (call, sequence), so a mixed-up or torn datagram shows. */
function packet(call: number, seq: number, payloadBytes = 160): Buffer {
  const payload = Uint8Array.from({ length: payloadBytes }, (_, i) => (call * 7 + seq * 13 + i) & 0xff);
  return serializeRtpPacket({
    marker: false,
    payloadType: 0,
    sequenceNumber: seq,
    timestamp: seq * 160,
    ssrc: 0x1000 + call,
    payload,
  });
}

const openFds = (): number => readdirSync('/proc/self/fd').length;

describe('native RTP I/O (native/rtp-io)', () => {
  let io: NativeRtpIo;
  let backend: RtpSocketBackend;
  let allocator: RtpPortAllocator;
  const cleanup: Array<() => Promise<void>> = [];
  beforeAll(() => {
    io = NativeRtpIo.load();
    backend = nativeSocketBackend(io);
  });
  beforeEach(() => {
    allocator = new RtpPortAllocator(25000, 27999);
  });
  afterEach(async () => {
    await Promise.all(cleanup.splice(0).map((close) => close()));
    expect(allocator.inUse).toBe(0);
  });
  async function pairs(n: number): Promise<RtpSocketPair[]> {
    const opened = await Promise.all(
      Array.from({ length: n }, () => openRtpSocketPair(allocator, '127.0.0.1', backend)),
    );
    cleanup.push(async () => void (await Promise.all(opened.map((p) => p.close()))));
    return opened;
  }
  async function peer(): Promise<Peer> {
    const p = await Peer.open();
    cleanup.push(() => p.close());
    return p;
  }

  test('one tick of sends is one native call: 200 sockets x 5 packets arrive byte-exact, in order per socket', async () => {
    const to = await peer();
    const sockets = await pairs(200);
    const destination = { address: '127.0.0.1', port: to.port };
    const flushes = io.flushes;
    const sent = io.sent;
    // One synchronous job, as a pacing tick is; the same buffer is rewritten for every packet.
    const buffer = Buffer.alloc(172);
    for (let seq = 0; seq < 5; seq++) {
      sockets.forEach((pair, call) => {
        packet(call, seq).copy(buffer);
        expect(pair.send(buffer, destination)).toBe(false); // copied at once: the caller may rewrite it
      });
    }
    expect(io.flushes).toBe(flushes); // nothing crossed yet
    await waitFor(() => to.received.length === 1000);
    expect(io.flushes).toBe(flushes + 1);
    expect(io.sent - sent).toBe(1000);
    const portToCall = new Map(sockets.map((pair, call) => [pair.port, call]));
    const nextSeq = new Map<number, number>();
    for (const { from, data } of to.received) {
      const call = portToCall.get(from)!;
      const seq = nextSeq.get(call) ?? 0;
      expect(data).toEqual(packet(call, seq));
      nextSeq.set(call, seq + 1);
    }
    expect([...nextSeq.values()].every((n) => n === 5)).toBe(true);
  });

  test('receive: 300 sockets x 4 packets, byte-exact with the source address, in far fewer JS calls than datagrams', async () => {
    const from = await peer();
    const sockets = await pairs(300);
    const got = new Map<number, Buffer[]>();
    sockets.forEach((pair, call) =>
      pair.listen({
        rtp: (datagram, address, port) => {
          expect(address).toBe('127.0.0.1');
          expect(port).toBe(from.port);
          // Copied: the datagram's bytes are only valid during this call (the batch buffer is re-used).
          got.set(call, [...(got.get(call) ?? []), Buffer.from(datagram)]);
        },
        rtcp: () => undefined,
        dropped: () => undefined,
        oversize: () => undefined,
      }),
    );
    const batches = io.batches;
    for (let seq = 0; seq < 4; seq++)
      for (const [call, pair] of sockets.entries()) from.socket.send(packet(call, seq), pair.port, '127.0.0.1');
    await waitFor(() => [...got.values()].reduce((n, list) => n + list.length, 0) === 1200);
    for (const [call, list] of got) expect(list).toEqual([0, 1, 2, 3].map((seq) => packet(call, seq)));
    expect(io.batches - batches).toBeLessThan(1200 / 4);
  });

  test('datagrams of any size and content: nothing crashes, oversize ones count as malformed, the call goes on', async () => {
    const caller = await peer();
    const [pair] = await pairs(1);
    let received = 0;
    const session = new RtpSession(pair!, () => received++);
    const sizes = [0, 1, 11, 12, 2047, 2048, 2049, 9000, 65507];
    for (const size of sizes) {
      const datagram = Buffer.alloc(size, 0x5a);
      if (size >= 12) packet(1, size, 0).copy(datagram); // a valid RTP header, then filler as payload
      await caller.send(pair!.port, datagram);
    }
    await caller.send(pair!.port, packet(1, 1));
    await waitFor(() => received >= 1 && session.stats.received + session.stats.malformed === sizes.length + 1);
    // Up to the 2 KiB receive slot the datagram is RTP (12..2048 bytes here); beyond, the slot truncates it.
    expect(session.stats).toMatchObject({ malformed: 3 + 3, received: 4, handlerErrors: 0 });
  });

  test('a socket closed while its datagrams are in flight: no delivery after close, the rest of the batch goes on', async () => {
    const from = await peer();
    const [a, b] = await pairs(2);
    let toA = 0;
    let toB = 0;
    const listener = (count: () => void): Parameters<RtpSocketPair['listen']>[0] => ({
      rtp: count,
      rtcp: () => undefined,
      dropped: () => undefined,
      oversize: () => undefined,
    });
    a!.listen(
      listener(() => {
        toA++;
        // Closed from inside its own batch: its later datagrams of the batch are skipped.
        if (toA === 1) void a!.close();
      }),
    );
    b!.listen(listener(() => toB++));
    for (let i = 0; i < 50; i++) {
      from.socket.send(packet(0, i), a!.port, '127.0.0.1');
      from.socket.send(packet(1, i), b!.port, '127.0.0.1');
    }
    await waitFor(() => toB === 50);
    await sleep(20);
    expect(toA).toBe(1);
    // Packets queued for a socket just before it closes still leave; after, send is refused quietly.
    const to = await peer();
    b!.send(packet(1, 99), { address: '127.0.0.1', port: to.port });
    await b!.close();
    expect(b!.send(packet(1, 100), { address: '127.0.0.1', port: to.port })).toBe(false);
    await waitFor(() => to.datagrams.length === 1);
    await sleep(20);
    expect(to.datagrams).toEqual([packet(1, 99)]);
  });

  test('close frees the ports at once (dgram binds them exclusively next); 100 open/close cycles leak no fd', async () => {
    const [pair] = await pairs(1);
    const port = pair!.port;
    await pair!.close();
    const squatter = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      squatter.once('error', reject);
      squatter.bind({ port: port + 1, address: '127.0.0.1', exclusive: true }, resolve);
    });
    await new Promise<void>((resolve) => squatter.close(() => resolve()));

    const fds = openFds();
    const sockets = io.counters().openSockets;
    for (let i = 0; i < 100; i++) {
      const opened = await Promise.all([
        openRtpSocketPair(allocator, '127.0.0.1', backend),
        openRtpSocketPair(allocator, '127.0.0.1', backend),
      ]);
      expect(io.counters().openSockets).toBe(sockets + 4);
      await Promise.all(opened.flatMap((p) => [p.close(), p.close()])); // twice is harmless
    }
    expect(io.counters().openSockets).toBe(sockets);
    expect(openFds()).toBe(fds);
  });

  test('an ICMP port unreachable (the caller went away) is counted, not thrown; sending goes on', async () => {
    const caller = await Peer.open();
    const [pair] = await pairs(1);
    const session = new RtpSession(pair!, () => undefined);
    await caller.send(pair!.port, packet(0, 1));
    await waitFor(() => session.stats.received === 1); // latched: the RTP socket is connected to the caller
    await caller.close();
    const before = io.counters().icmpErrors;
    for (let i = 0; i < 20; i++) {
      session.send(packet(0, i));
      await sleep(2);
    }
    // Linux reports the ICMP error on the connected socket's next read (counted) or send (dropped).
    expect(session.stats.sent).toBe(20);
    expect(io.counters().icmpErrors - before + session.stats.sendDropped).toBeGreaterThan(0);
  });

  test('auto falls back to dgram, with one loud warning, when the addon cannot load; native then refuses', () => {
    const warnings: string[] = [];
    const fallback = rtpSocketBackend('auto', { addonPath: '/nonexistent/rtp_io.node', warn: (m) => warnings.push(m) });
    expect(fallback.kind).toBe('dgram');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/falls back to Node's dgram.*rtp_io\.node/);
    expect(() => rtpSocketBackend('native', { addonPath: '/nonexistent/rtp_io.node' })).toThrow(
      /media.rtpIo is 'native'/,
    );
    expect(rtpSocketBackend('dgram').kind).toBe('dgram');
  });
});
