/**
 * The H.245 procedures a terminal must run to get media flowing (H.323 §8.2 phase B and §8.3 phase C),
 * as a pure machine: messages in, messages out. Capability exchange (H.245 §8.3), master/slave
 * determination (§8.2, Annex C.2), opening its transmit channel (§8.4) once both are done and the
 * peer's receive capabilities are known, acknowledging the peer's channels, round-trip delay (§8.9)
 * and end of session (§8.11 EndSessionCommand). Unknown requests get FunctionNotSupported (§8.1).
 *
 * Written apart from confgate's own call handling on purpose: it is the second implementation the
 * product is tested against.
 */
import { encodeH245Message } from '../../../src/h323/asn1-codec';
import type {
  Capability,
  MultimediaSystemControlMessage as H245Message,
  OpenLogicalChannel,
  RequestMessage,
  TerminalCapabilitySet,
} from '../../../src/h323/generated/h245-types';
import { h245Address, readAddress } from './endpoint-identity';
import type { OpenChannel } from './fast-start-answer';
import { transmitProposal, type MediaPorts } from './fast-start-proposals';
import {
  decideMasterSlave,
  statusDeterminationNumber,
  TERMINAL_TYPE,
  type MasterSlaveDecision,
} from './master-slave-determination';
import { formatOf, sessionOf, type MediaFormat } from './media-format';
import { terminalCapabilitySet } from './terminal-capabilities';

export interface H245TerminalOptions {
  /** formats in preference order: advertised in the TCS, and the first the peer can receive is opened */
  formats: readonly MediaFormat[];
  ports: (session: 1 | 2) => MediaPorts;
  /** open a transmit channel by OpenLogicalChannel (false when fastStart already opened the media) */
  openTransmitChannel: boolean;
}

/** What the machine has learnt; the call reports it. */
export interface H245State {
  capabilitiesAcknowledged: boolean;
  /** formats in the peer's TCS it can receive; undefined until its TCS arrives */
  remoteFormats?: MediaFormat[];
  /** whether the peer's TCS advertised RFC 2833 telephone events */
  remoteTelephoneEvents?: boolean;
  decision?: MasterSlaveDecision;
  channels: OpenChannel[];
  rejectedChannels: number[];
  roundTripResponses: number;
  endSessionReceived: boolean;
}

function remoteCapabilities(tcs: TerminalCapabilitySet): { formats: MediaFormat[]; telephoneEvents: boolean } {
  const formats: MediaFormat[] = [];
  let telephoneEvents = false;
  for (const { capability } of tcs.capabilityTable ?? []) {
    const c = capability as Capability | undefined;
    if (!c) continue;
    const audio =
      'receiveAudioCapability' in c
        ? c.receiveAudioCapability
        : 'receiveAndTransmitAudioCapability' in c
          ? c.receiveAndTransmitAudioCapability
          : undefined;
    const video =
      'receiveVideoCapability' in c
        ? c.receiveVideoCapability
        : 'receiveAndTransmitVideoCapability' in c
          ? c.receiveAndTransmitVideoCapability
          : undefined;
    const format = audio ? formatOf({ audioData: audio }) : video ? formatOf({ videoData: video }) : undefined;
    if (format && !formats.includes(format)) formats.push(format);
    if ('receiveRTPAudioTelephonyEventCapability' in c) telephoneEvents = true;
  }
  return { formats, telephoneEvents };
}

export class H245Terminal {
  readonly state: H245State = {
    capabilitiesAcknowledged: false,
    channels: [],
    rejectedChannels: [],
    roundTripResponses: 0,
    endSessionReceived: false,
  };
  private started = false;
  private number = statusDeterminationNumber();
  private ackedRemoteMsd = false;
  private transmitRequested = false;
  private endSessionSent = false;

  constructor(private readonly options: H245TerminalOptions) {}

  /** Starts the procedures: our TCS and MSD (H.245 §8.2, §8.3; both may be sent at once). */
  start(): H245Message[] {
    if (this.started) return [];
    this.started = true;
    return [terminalCapabilitySet(1, this.options.formats), this.masterSlaveDetermination()];
  }

  /** Ends the session (H.245 §8.11): sent before the call is released, and answered when the peer sends it. */
  endSession(): H245Message[] {
    if (this.endSessionSent) return [];
    this.endSessionSent = true;
    return [{ command: { endSessionCommand: { disconnect: null } } }];
  }

  /** Handles one message from the peer; returns what to send back. */
  receive(message: H245Message): H245Message[] {
    if ('request' in message) return this.request(message.request);
    if ('response' in message) return this.response(message.response);
    if ('command' in message && 'endSessionCommand' in message.command) {
      this.state.endSessionReceived = true;
      return this.endSession();
    }
    return [];
  }

  private masterSlaveDetermination(): H245Message {
    return {
      request: { masterSlaveDetermination: { terminalType: TERMINAL_TYPE, statusDeterminationNumber: this.number } },
    };
  }

  private request(request: RequestMessage): H245Message[] {
    if ('terminalCapabilitySet' in request) {
      const tcs = request.terminalCapabilitySet;
      const remote = remoteCapabilities(tcs);
      this.state.remoteFormats = remote.formats;
      this.state.remoteTelephoneEvents = remote.telephoneEvents;
      const ack: H245Message = { response: { terminalCapabilitySetAck: { sequenceNumber: tcs.sequenceNumber } } };
      return [...this.start(), ack, ...this.openTransmit()];
    }
    if ('masterSlaveDetermination' in request) {
      const msd = request.masterSlaveDetermination;
      const decision = decideMasterSlave(
        { terminalType: TERMINAL_TYPE, number: this.number },
        { terminalType: msd.terminalType, number: msd.statusDeterminationNumber },
      );
      if (decision === 'indeterminate') {
        this.number = statusDeterminationNumber();
        return [{ response: { masterSlaveDeterminationReject: { cause: { identicalNumbers: null } } } }];
      }
      this.state.decision = decision;
      this.ackedRemoteMsd = true;
      // The Ack states the receiver's role (H.245 §C.2.2): the opposite of ours.
      const theirs = decision === 'master' ? { slave: null } : { master: null };
      return [{ response: { masterSlaveDeterminationAck: { decision: theirs } } }, ...this.openTransmit()];
    }
    if ('openLogicalChannel' in request) return [this.answerChannel(request.openLogicalChannel)];
    if ('closeLogicalChannel' in request) {
      const n = request.closeLogicalChannel.forwardLogicalChannelNumber;
      this.state.channels = this.state.channels.filter((c) => !(c.direction === 'receive' && c.number === n));
      return [{ response: { closeLogicalChannelAck: { forwardLogicalChannelNumber: n } } }];
    }
    if ('requestChannelClose' in request) {
      const n = request.requestChannelClose.forwardLogicalChannelNumber;
      return [{ response: { requestChannelCloseAck: { forwardLogicalChannelNumber: n } } }];
    }
    if ('roundTripDelayRequest' in request) {
      const sequenceNumber = request.roundTripDelayRequest.sequenceNumber;
      return [{ response: { roundTripDelayResponse: { sequenceNumber } } }];
    }
    return [
      {
        indication: {
          functionNotSupported: { cause: { unknownFunction: null }, returnedFunction: encodeH245Message({ request }) },
        },
      },
    ];
  }

  private response(response: Extract<H245Message, { response: unknown }>['response']): H245Message[] {
    if ('terminalCapabilitySetAck' in response) {
      this.state.capabilitiesAcknowledged = true;
      return this.openTransmit();
    }
    if ('masterSlaveDeterminationAck' in response) {
      this.state.decision = 'master' in response.masterSlaveDeterminationAck.decision ? 'master' : 'slave';
      if (this.ackedRemoteMsd) return this.openTransmit();
      this.ackedRemoteMsd = true;
      const theirs = this.state.decision === 'master' ? { slave: null } : { master: null };
      return [{ response: { masterSlaveDeterminationAck: { decision: theirs } } }, ...this.openTransmit()];
    }
    if ('masterSlaveDeterminationReject' in response) {
      this.number = statusDeterminationNumber();
      return [this.masterSlaveDetermination()];
    }
    if ('openLogicalChannelAck' in response) {
      const ack = response.openLogicalChannelAck;
      const params = ack.forwardMultiplexAckParameters;
      const rtp =
        params && 'h2250LogicalChannelAckParameters' in params
          ? readAddress(params.h2250LogicalChannelAckParameters.mediaChannel)
          : undefined;
      const format = this.transmitFormat();
      if (format && rtp)
        this.state.channels.push({ direction: 'transmit', format, number: ack.forwardLogicalChannelNumber, rtp });
      return [];
    }
    if ('openLogicalChannelReject' in response) {
      this.state.rejectedChannels.push(response.openLogicalChannelReject.forwardLogicalChannelNumber);
      return [];
    }
    if ('roundTripDelayResponse' in response) this.state.roundTripResponses++;
    return [];
  }

  /** The first of our formats the peer can receive. */
  private transmitFormat(): MediaFormat | undefined {
    return this.options.formats.find((f) => sessionOf(f) === 1 && this.state.remoteFormats?.includes(f));
  }

  /** H.245 §8.4: our transmit channel, once the peer's capabilities are known and MSD is done. */
  private openTransmit(): H245Message[] {
    if (!this.options.openTransmitChannel || this.transmitRequested) return [];
    if (!this.state.decision || this.state.decision === 'indeterminate' || !this.state.remoteFormats) return [];
    const format = this.transmitFormat();
    if (!format) return [];
    this.transmitRequested = true;
    return [{ request: { openLogicalChannel: transmitProposal(1, format, this.options.ports(sessionOf(format))) } }];
  }

  /** A channel the peer opens towards us: acknowledged with our RTP/RTCP address (H.245 §8.4.2), or rejected. */
  private answerChannel(olc: OpenLogicalChannel): H245Message {
    const n = olc.forwardLogicalChannelNumber;
    const format = formatOf(olc.forwardLogicalChannelParameters.dataType);
    if (!format || !this.options.formats.includes(format))
      return {
        response: {
          openLogicalChannelReject: { forwardLogicalChannelNumber: n, cause: { dataTypeNotSupported: null } },
        },
      };
    const session = sessionOf(format);
    const ports = this.options.ports(session);
    this.state.channels.push({ direction: 'receive', format, number: n });
    return {
      response: {
        openLogicalChannelAck: {
          forwardLogicalChannelNumber: n,
          forwardMultiplexAckParameters: {
            h2250LogicalChannelAckParameters: {
              sessionID: session,
              mediaChannel: h245Address(ports.host, ports.rtp),
              mediaControlChannel: h245Address(ports.host, ports.rtcp),
            },
          },
        },
      },
    };
  }
}
