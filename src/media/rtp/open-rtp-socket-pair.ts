import type { RtpPortAllocator } from './rtp-port-allocator';
import type { RtpSocketBackend } from './rtp-socket-backend';
import { RtpPortsExhaustedError, type RtpSocketPair } from './rtp-socket-pair';

/**
 * Binds an RTP/RTCP pair (RFC 3550 §11) on the next free ports of `allocator` through `backend`
 * (the process's choice, from `rtpSocketBackend`). A port some other process holds is skipped
 * (given back to the allocator, which moves on round-robin) up to `attempts` times.
 */
export async function openRtpSocketPair(
  allocator: RtpPortAllocator,
  bindAddress: string,
  backend: RtpSocketBackend,
  attempts = 16,
): Promise<RtpSocketPair> {
  for (let i = 0; i < attempts; i++) {
    const port = allocator.allocate();
    if (port === undefined) break;
    const pair = await backend.bindPair(port, bindAddress, () => allocator.release(port));
    if (pair) return pair;
    allocator.release(port);
  }
  throw new RtpPortsExhaustedError(
    `no free RTP port pair in ${allocator.min}-${allocator.max} (${allocator.inUse} in use)`,
  );
}
