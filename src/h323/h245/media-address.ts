import type { H2250LogicalChannelParameters, TransportAddress } from '../generated/h245-types';
import type { SocketAddress } from '../h225/incoming-setup';

/** An IPv4 unicast address as H.245 writes it (H.245 §6 `UnicastAddress.iPAddress`). */
export function h245Address(a: SocketAddress): TransportAddress {
  return {
    unicastAddress: {
      iPAddress: { network: Uint8Array.from(a.address.split('.').map(Number)), tsapIdentifier: a.port },
    },
  };
}

/** Host and port of an H.245 IPv4 unicast address; undefined for any other kind. */
export function socketOf(address: TransportAddress | undefined): SocketAddress | undefined {
  if (!address || !('unicastAddress' in address)) return undefined;
  const unicast = address.unicastAddress;
  if (!('iPAddress' in unicast)) return undefined;
  return { address: unicast.iPAddress.network.join('.'), port: unicast.iPAddress.tsapIdentifier };
}

/** Where confgate takes an audio channel: RTP on `rtpPort`, RTCP on the next port (RFC 3550 §11). */
export interface LocalMedia {
  address: string;
  rtpPort: number;
}

/** Media and control channel fields of H.225.0 logical channel parameters pointing at confgate. */
export function localChannels(
  local: LocalMedia,
): Pick<H2250LogicalChannelParameters, 'mediaChannel' | 'mediaControlChannel'> {
  return {
    mediaChannel: h245Address({ address: local.address, port: local.rtpPort }),
    mediaControlChannel: h245Address({ address: local.address, port: local.rtpPort + 1 }),
  };
}
