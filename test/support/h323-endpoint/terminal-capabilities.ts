/**
 * The endpoint's TerminalCapabilitySet (H.245 §8.3, H.323 §6.2.8.1): receive capabilities for the
 * audio formats it handles, user input as basicString and dtmf (H.245 UserInputCapability, what
 * H.323 §7.4 requires of a terminal) and RFC 2833 telephone events (H.245 AudioTelephonyEvent,
 * payload type 101), one simultaneous set per kind.
 */
import type {
  Capability,
  H2250Capability,
  MultimediaSystemControlMessage,
} from '../../../src/h323/generated/h245-types';
// The standard no-multipoint value is data, not protocol logic: shared with confgate's own set.
import { NO_MULTIPOINT } from '../../../src/h323/h245/confgate-capabilities';
import { H245_PROTOCOL } from './endpoint-identity';
import { dataTypeOf, sessionOf, type MediaFormat } from './media-format';

/** The RTP payload type the endpoint sends and expects telephone events on (RFC 4733 §7.1.1, dynamic). */
export const TELEPHONE_EVENT_PAYLOAD_TYPE = 101;

/** H.245 §6.2.8.1 H2250Capability of a point-to-point terminal: no multipoint, no MC, 60 ms jitter. */
export const H2250_CAPABILITY: H2250Capability = {
  maximumAudioDelayJitter: 60,
  receiveMultipointCapability: NO_MULTIPOINT,
  transmitMultipointCapability: NO_MULTIPOINT,
  receiveAndTransmitMultipointCapability: NO_MULTIPOINT,
  mcCapability: { centralizedConferenceMC: false, decentralizedConferenceMC: false },
  rtcpVideoControlCapability: false,
  mediaPacketizationCapability: { h261aVideoPacketization: false },
};

function receiveCapability(format: MediaFormat): Capability {
  const dataType = dataTypeOf(format);
  if ('audioData' in dataType) return { receiveAudioCapability: dataType.audioData };
  if ('videoData' in dataType) return { receiveVideoCapability: dataType.videoData };
  throw new Error(`no capability for ${format}`);
}

/** The TCS request with sequence number `sequenceNumber` for `formats` (video ones in their own set). */
export function terminalCapabilitySet(
  sequenceNumber: number,
  formats: readonly MediaFormat[],
): MultimediaSystemControlMessage {
  // Audio first, each kind in preference order, so each kind's entries are consecutive below.
  const media = [...formats].sort((a, b) => sessionOf(a) - sessionOf(b)).map(receiveCapability);
  const userInput: Capability[] = [
    { receiveUserInputCapability: { basicString: null } },
    { receiveUserInputCapability: { dtmf: null } },
    {
      receiveRTPAudioTelephonyEventCapability: {
        dynamicRTPPayloadType: TELEPHONE_EVENT_PAYLOAD_TYPE,
        audioTelephoneEvent: '0-16',
      },
    },
  ];
  const table = [...media, ...userInput].map((capability, i) => ({ capabilityTableEntryNumber: i + 1, capability }));
  const numbers = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + i);
  const audio = media.filter((c) => 'receiveAudioCapability' in c).length;
  const video = media.length - audio;
  // H.245 §6.2.8.1: one AlternativeCapabilitySet per kind.
  const simultaneous = [numbers(1, audio), ...(video > 0 ? [numbers(audio + 1, video)] : [])];
  for (const n of numbers(media.length + 1, userInput.length)) simultaneous.push([n]);
  return {
    request: {
      terminalCapabilitySet: {
        sequenceNumber,
        protocolIdentifier: H245_PROTOCOL,
        multiplexCapability: { h2250Capability: H2250_CAPABILITY },
        capabilityTable: table,
        capabilityDescriptors: [{ capabilityDescriptorNumber: 0, simultaneousCapabilities: simultaneous }],
      },
    },
  };
}
