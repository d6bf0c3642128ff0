import type { H2250LogicalChannelParameters, OpenLogicalChannel } from '../generated/h245-types';
import type { SocketAddress } from '../h225/incoming-setup';
import { audioCodecOf, type H323AudioCodec } from './audio-codec';
import { localChannels, socketOf, type LocalMedia } from './media-address';

/** The audio both sides agreed on by fast start: the codec, and where the caller wants our RTP. */
export interface FastStartAnswer {
  /** The proposals confgate accepts, completed with its own addresses, for CallProceeding/Alerting/Connect. */
  channels: OpenLogicalChannel[];
  codec: H323AudioCodec;
  /** The caller's RTP address for the channel confgate transmits on. */
  remote: SocketAddress;
}

type H2250 = { h2250LogicalChannelParameters: H2250LogicalChannelParameters };
const h2250Of = (m: object | undefined): H2250LogicalChannelParameters | undefined =>
  m && 'h2250LogicalChannelParameters' in m ? (m as H2250).h2250LogicalChannelParameters : undefined;

/**
 * Answers a caller's fastStart proposals (H.323 §8.1.7.1): one audio channel each way, G.711 in
 * the caller's order of preference (the channel confgate sends decides; its receive channel takes
 * the same law when offered). A proposal for confgate to receive (forward parameters) gets
 * confgate's RTP and RTCP addresses; one for confgate to send (reverse parameters) is returned
 * as proposed, its media channel being where the caller listens. Video and other codecs are left
 * out, which declines them. Undefined when no usable audio pair is proposed: the call then goes
 * on without fast start (H.245 opens the channels).
 */
export function answerFastStart(
  proposals: readonly OpenLogicalChannel[],
  local: LocalMedia,
): FastStartAnswer | undefined {
  const sends = proposals.flatMap((olc) => {
    const reverse = olc.reverseLogicalChannelParameters;
    const codec = reverse && audioCodecOf(reverse.dataType);
    const remote = socketOf(h2250Of(reverse?.multiplexParameters)?.mediaChannel);
    return codec && remote ? [{ olc, codec, remote }] : [];
  });
  const receives = proposals.flatMap((olc) => {
    const forward = olc.forwardLogicalChannelParameters;
    const codec = olc.reverseLogicalChannelParameters ? undefined : audioCodecOf(forward.dataType);
    const h2250 = h2250Of(forward.multiplexParameters);
    return codec && h2250 ? [{ olc, codec, h2250 }] : [];
  });
  const send = sends[0];
  if (!send) return undefined;
  const receive = receives.find((r) => r.codec === send.codec) ?? receives[0];
  if (!receive) return undefined;
  const accepted: OpenLogicalChannel = {
    ...receive.olc,
    forwardLogicalChannelParameters: {
      ...receive.olc.forwardLogicalChannelParameters,
      multiplexParameters: { h2250LogicalChannelParameters: { ...receive.h2250, ...localChannels(local) } },
    },
  };
  return { channels: [accepted, send.olc], codec: send.codec, remote: send.remote };
}
