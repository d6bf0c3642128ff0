/**
 * The caller's fastStart element (H.323 §8.1.7.1): one OpenLogicalChannel per proposal, each format
 * once in each direction. A transmit proposal names only the caller's RTCP address (the callee gives
 * its RTP address in the answer); a receive proposal carries the media in
 * `reverseLogicalChannelParameters`, with the caller's RTP and RTCP addresses, and a null forward part.
 */
import type { OpenLogicalChannel } from '../../../src/h323/generated/h245-types';
import { h245Address } from './endpoint-identity';
import { dataTypeOf, sessionOf, type MediaFormat } from './media-format';

/** Where the endpoint receives a session's RTP and RTCP. */
export interface MediaPorts {
  host: string;
  rtp: number;
  rtcp: number;
}

/** Proposals in preference order, transmit then receive for each format (H.323 §8.1.7.1 orders by preference). */
export function fastStartProposals(
  formats: readonly MediaFormat[],
  portsOf: (session: 1 | 2) => MediaPorts,
): OpenLogicalChannel[] {
  const out: OpenLogicalChannel[] = [];
  let channel = 1;
  for (const format of formats) {
    const session = sessionOf(format);
    const ports = portsOf(session);
    out.push(transmitProposal(channel++, format, ports));
    out.push({
      forwardLogicalChannelNumber: channel++,
      forwardLogicalChannelParameters: { dataType: { nullData: null }, multiplexParameters: { none: null } },
      reverseLogicalChannelParameters: {
        dataType: dataTypeOf(format),
        multiplexParameters: {
          h2250LogicalChannelParameters: {
            sessionID: session,
            mediaChannel: h245Address(ports.host, ports.rtp),
            mediaControlChannel: h245Address(ports.host, ports.rtcp),
          },
        },
      },
    });
  }
  return out;
}

/**
 * A channel the endpoint transmits on, as proposed in fastStart and as requested by a slow-start
 * OpenLogicalChannel (H.245 §8.4.1): the data type and the endpoint's RTCP address.
 */
export function transmitProposal(channel: number, format: MediaFormat, ports: MediaPorts): OpenLogicalChannel {
  return {
    forwardLogicalChannelNumber: channel,
    forwardLogicalChannelParameters: {
      dataType: dataTypeOf(format),
      multiplexParameters: {
        h2250LogicalChannelParameters: {
          sessionID: sessionOf(format),
          mediaControlChannel: h245Address(ports.host, ports.rtcp),
          silenceSuppression: false,
        },
      },
    },
  };
}
