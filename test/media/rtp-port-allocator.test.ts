import { createSocket } from 'node:dgram';
import { readdirSync } from 'node:fs';
import { RtpPortAllocator } from '../../src/media/rtp/rtp-port-allocator';
import { openRtpSocketPair } from '../../src/media/rtp/open-rtp-socket-pair';
import { RtpPortsExhaustedError } from '../../src/media/rtp/rtp-socket-pair';
import { rtpSocketBackend } from '../../src/media/rtp/select-rtp-socket-backend';

/** UDP handles and file descriptors still open; a closed handle leaves the list on the loop turn after its close callback. */
async function openSockets(): Promise<{ udpHandles: number; fds: number }> {
  await new Promise((resolve) => setTimeout(resolve, 20));
  return {
    udpHandles: process.getActiveResourcesInfo().filter((r) => r === 'UDPWrap').length,
    fds: readdirSync('/proc/self/fd').length,
  };
}

describe('RTP port allocation', () => {
  test('even ports only, round-robin, exhaustion, release', () => {
    const allocator = new RtpPortAllocator(20001, 20008); // pairs 20002/3, 20004/5, 20006/7
    expect(allocator.capacity).toBe(3);
    expect([allocator.allocate(), allocator.allocate(), allocator.allocate(), allocator.allocate()]).toEqual([
      20002,
      20004,
      20006,
      undefined,
    ]);
    allocator.release(20004);
    expect(allocator.allocate()).toBe(20004);
    expect(allocator.inUse).toBe(3);
    expect(() => new RtpPortAllocator(20000, 20000)).toThrow(RangeError);
    expect(() => new RtpPortAllocator(80, 2000)).toThrow(RangeError);
  });
});

describe.each(['native', 'dgram'] as const)('RTP socket pairs (%s RTP I/O)', (kind) => {
  const backend = rtpSocketBackend(kind);

  test('a port held by another socket is skipped; a full range gives a 503 error', async () => {
    const squatter = createSocket('udp4');
    await new Promise<void>((resolve) => squatter.bind(22101, '127.0.0.1', resolve)); // the RTCP port of the first pair
    const allocator = new RtpPortAllocator(22100, 22103);
    const pair = await openRtpSocketPair(allocator, '127.0.0.1', backend);
    expect(pair.port).toBe(22102);
    await expect(openRtpSocketPair(allocator, '127.0.0.1', backend)).rejects.toBeInstanceOf(RtpPortsExhaustedError);
    await pair.close();
    squatter.close();
    expect(allocator.inUse).toBe(0);
  });

  test('100 allocate/release cycles of real socket pairs leak no port and no socket', async () => {
    const before = await openSockets();
    const allocator = new RtpPortAllocator(22200, 22299);
    for (let i = 0; i < 100; i++) {
      const pairs = await Promise.all([
        openRtpSocketPair(allocator, '127.0.0.1', backend),
        openRtpSocketPair(allocator, '127.0.0.1', backend),
      ]);
      expect(allocator.inUse).toBe(2);
      await Promise.all(pairs.flatMap((pair) => [pair.close(), pair.close()])); // twice is harmless
      expect(allocator.inUse).toBe(0);
    }
    expect(await openSockets()).toEqual(before);
  });
});
