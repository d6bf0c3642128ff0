import type { CapabilityTableEntry, TerminalCapabilitySet } from '../generated/h245-types';

/** H.245 version 7 (H.245 §6 protocolIdentifier). */
export const H245_PROTOCOL = '0.0.8.245.0.7';

/** The RTP payload type confgate takes RFC 2833/4733 telephone events on, as its capability set advertises. */
export const TELEPHONE_EVENT_PAYLOAD_TYPE = 101;

const TABLE: CapabilityTableEntry[] = [
  { capabilityTableEntryNumber: 1, capability: { receiveAudioCapability: { g711Alaw64k: 60 } } },
  { capabilityTableEntryNumber: 2, capability: { receiveAudioCapability: { g711Ulaw64k: 60 } } },
  { capabilityTableEntryNumber: 3, capability: { receiveUserInputCapability: { basicString: null } } },
  { capabilityTableEntryNumber: 4, capability: { receiveUserInputCapability: { dtmf: null } } },
  {
    capabilityTableEntryNumber: 5,
    capability: {
      receiveRTPAudioTelephonyEventCapability: {
        dynamicRTPPayloadType: TELEPHONE_EVENT_PAYLOAD_TYPE,
        audioTelephoneEvent: '0-15',
      },
    },
  },
];

/** H.245 MultipointCapability of a point-to-point terminal: no multicast, no multipoint distribution of any medium. */
export const NO_MULTIPOINT = {
  multicastCapability: false,
  multiUniCastConference: false,
  mediaDistributionCapability: [
    {
      centralizedControl: false,
      distributedControl: false,
      centralizedAudio: false,
      distributedAudio: false,
      centralizedVideo: false,
      distributedVideo: false,
    },
  ],
};

/**
 * confgate's TerminalCapabilitySet (H.245 §8.3): it receives G.711 A-law and µ-law, user input as
 * basic strings and DTMF signals (H.245 UserInputIndication), and RFC 2833 telephone events on
 * payload type 101; one descriptor lets it use one audio codec with all three at once. No video:
 * the IVR has none to show.
 */
export function confgateCapabilities(sequenceNumber: number): TerminalCapabilitySet {
  return {
    sequenceNumber,
    protocolIdentifier: H245_PROTOCOL,
    multiplexCapability: {
      h2250Capability: {
        maximumAudioDelayJitter: 60,
        receiveMultipointCapability: NO_MULTIPOINT,
        transmitMultipointCapability: NO_MULTIPOINT,
        receiveAndTransmitMultipointCapability: NO_MULTIPOINT,
        mcCapability: { centralizedConferenceMC: false, decentralizedConferenceMC: false },
        rtcpVideoControlCapability: false,
        mediaPacketizationCapability: { h261aVideoPacketization: false },
      },
    },
    capabilityTable: TABLE,
    capabilityDescriptors: [{ capabilityDescriptorNumber: 0, simultaneousCapabilities: [[1, 2], [3], [4], [5]] }],
  };
}
