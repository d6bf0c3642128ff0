import type { RtpIoBackendKind, RtpSocketPair } from './rtp-socket-pair';

/**
 * `media.rtpIo`: which RTP I/O backend moves the datagrams. `auto` takes the native addon
 * (native/rtp-io) when it is built and loads, else Node's dgram with a warning; `native` insists on
 * the addon; `dgram` never tries it.
 */
export type RtpIoChoice = 'auto' | 'native' | 'dgram';

/** Opens RTP/RTCP socket pairs; one implementation per way of doing socket I/O. */
export interface RtpSocketBackend {
  readonly kind: RtpIoBackendKind;
  /**
   * Binds RTP on `port` and RTCP on `port + 1` of `address`, exclusively; undefined when either
   * port is taken. `onClosed` runs once, after the pair's `close()` freed both ports.
   */
  bindPair(port: number, address: string, onClosed: () => void): Promise<RtpSocketPair | undefined>;
}
