import type {
  MultimediaSystemControlMessage,
  OpenLogicalChannel,
  OpenLogicalChannelAck,
} from '../generated/h245-types';
import type { SocketAddress } from '../h225/incoming-setup';
import { audioCodecOf, audioDataType, type H323AudioCodec } from './audio-codec';
import type { StartTimer } from './h245-timer';
import { localChannels, socketOf, type LocalMedia } from './media-address';

/** What the logical channel signalling entities need, and tell. */
export interface LogicalChannelsContext {
  send(message: MultimediaSystemControlMessage): void;
  timer: StartTimer;
  t103Ms: number;
  /** Where confgate receives and sends audio; undefined while the call has no media yet (channels are then refused). */
  local(): LocalMedia | undefined;
  /** confgate's audio channel is open: RTP goes to `remote`. */
  sending(codec: H323AudioCodec, remote: SocketAddress): void;
  /** confgate's channel could not be opened (rejected, or T103 expired). */
  sendFailed(reason: string): void;
}

/** The audio session of H.225.0 (sessionID 1, H.225.0 §6.2.2 default sessions: 1 audio, 2 video, 3 data). */
const AUDIO_SESSION = 1;

/**
 * Uni-directional logical channels (H.245 §8.4, Annex C.5 LCSE) and channel close requests
 * (§8.7, CLCSE): the peer's audio channel is acknowledged with confgate's RTP/RTCP addresses,
 * anything else (video, data, bi-directional) rejected with `dataTypeNotSupported`, which
 * declines it while the call stays up on audio; confgate opens one audio channel of its own,
 * guarded by T103. A CloseLogicalChannel is acknowledged; a RequestChannelClose for confgate's
 * channel is acknowledged and the channel closed.
 */
export class LogicalChannels {
  private readonly incoming = new Set<number>();
  private outgoing: { number: number; codec: H323AudioCodec; open: boolean; stopTimer?: () => void } | undefined;

  constructor(private readonly c: LogicalChannelsContext) {}

  /** Whether confgate has opened (or is opening) its own audio channel. */
  get sendChannelRequested(): boolean {
    return this.outgoing !== undefined;
  }

  onOpen(olc: OpenLogicalChannel): void {
    const number = olc.forwardLogicalChannelNumber;
    const forward = olc.forwardLogicalChannelParameters;
    const codec = olc.reverseLogicalChannelParameters ? undefined : audioCodecOf(forward.dataType);
    const local = this.c.local();
    if (!codec || !local) {
      const cause = local ? { dataTypeNotSupported: null } : { unspecified: null };
      this.c.send({ response: { openLogicalChannelReject: { forwardLogicalChannelNumber: number, cause } } });
      return;
    }
    this.incoming.add(number);
    const ack: OpenLogicalChannelAck = {
      forwardLogicalChannelNumber: number,
      forwardMultiplexAckParameters: {
        h2250LogicalChannelAckParameters: { sessionID: AUDIO_SESSION, ...localChannels(local) },
      },
    };
    this.c.send({ response: { openLogicalChannelAck: ack } });
  }

  /** Opens confgate's audio channel in `codec` (H.245 §8.4.1, outgoing LCSE). */
  open(codec: H323AudioCodec, number = 1): void {
    const local = this.c.local();
    if (this.outgoing || !local) return;
    const { mediaControlChannel } = localChannels(local);
    this.c.send({
      request: {
        openLogicalChannel: {
          forwardLogicalChannelNumber: number,
          forwardLogicalChannelParameters: {
            dataType: audioDataType(codec),
            multiplexParameters: { h2250LogicalChannelParameters: { sessionID: AUDIO_SESSION, mediaControlChannel } },
          },
        },
      },
    });
    const stopTimer = this.c.timer(this.c.t103Ms, () => {
      this.c.send(closeOf(number));
      this.outgoing = undefined;
      this.c.sendFailed('T103 expired: the audio channel was not acknowledged');
    });
    this.outgoing = { number, codec, open: false, stopTimer };
  }

  onAck(ack: OpenLogicalChannelAck): void {
    const out = this.outgoing;
    if (!out || out.open || ack.forwardLogicalChannelNumber !== out.number) return;
    out.stopTimer?.();
    const params = ack.forwardMultiplexAckParameters;
    const remote =
      params && 'h2250LogicalChannelAckParameters' in params
        ? socketOf(params.h2250LogicalChannelAckParameters.mediaChannel)
        : undefined;
    if (!remote) {
      this.c.send(closeOf(out.number));
      this.outgoing = undefined;
      return this.c.sendFailed('the audio channel was acknowledged without an IPv4 media channel');
    }
    out.open = true;
    this.c.sending(out.codec, remote);
  }

  onReject(number: number): void {
    const out = this.outgoing;
    if (!out || out.number !== number) return;
    out.stopTimer?.();
    this.outgoing = undefined;
    this.c.sendFailed('the audio channel was rejected');
  }

  onClose(number: number): void {
    this.incoming.delete(number);
    this.c.send({ response: { closeLogicalChannelAck: { forwardLogicalChannelNumber: number } } });
  }

  onRequestClose(number: number): void {
    this.c.send({ response: { requestChannelCloseAck: { forwardLogicalChannelNumber: number } } });
    if (this.outgoing?.number !== number) return;
    this.outgoing.stopTimer?.();
    this.outgoing = undefined;
    this.c.send(closeOf(number));
  }

  dispose(): void {
    this.outgoing?.stopTimer?.();
  }
}

function closeOf(number: number): MultimediaSystemControlMessage {
  return { request: { closeLogicalChannel: { forwardLogicalChannelNumber: number, source: { user: null } } } };
}
