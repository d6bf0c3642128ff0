/**
 * The H.225.0 call-signalling messages the endpoint sends as the calling side (H.225.0 §7.3, Q.931
 * as profiled by H.225.0 §7.2): Setup, a Facility carrying tunnelled H.245 (body `empty`, H.323
 * §8.2.1, as version 4 endpoints send it), Information with the Keypad IE, and ReleaseComplete.
 * Pure builders returning whole TPKT frames.
 */
import type { AliasAddress, H323UUPDU, SetupUUIE } from '../../../src/h323/generated/h225-types';
import type {
  MultimediaSystemControlMessage as H245Message,
  OpenLogicalChannel,
} from '../../../src/h323/generated/h245-types';
import type { InformationElement, Q931Message } from '../../../src/h323/q931-message';
import { encodeSignallingFrame, type TunnelledH245 } from '../../../src/h323/signalling-frame';
import type { DialledAlias } from './dialled-alias';
import { calledPartyNumber, destinationAddress } from './dialled-alias';
import { h225Address, H225_PROTOCOL, TEST_TERMINAL } from './endpoint-identity';

/** What stays the same in every message of one call. */
export interface CallIdentity {
  callReference: number;
  conferenceID: Uint8Array;
  callIdentifier: Uint8Array;
  h245Tunnelling: boolean;
}

export interface SetupParameters {
  alias?: DialledAlias;
  /** the caller's h323-ID (also its Display IE) and dialedDigits */
  callerName: string;
  callerNumber?: string;
  destination: { host: string; port: number };
  source: { host: string; port: number };
  fastStart?: OpenLogicalChannel[];
  /** our H.245 listening address, when H.245 runs on its own connection */
  h245Listener?: { host: string; port: number };
  /** keys sent in the Setup's own Keypad facility IE (Q.931 §4.5.18, H.225.0 §7.2.2.6) */
  keypad?: string;
}

/** Q.931 §4.5.5 bearer capability as H.225.0 §7.2.2.1 asks: unrestricted digital, 64 kbit/s, H.221. */
export const BEARER_CAPABILITY: InformationElement = {
  ie: 'bearerCapability',
  codingStandard: 0,
  transferCapability: 8,
  transferMode: 0,
  transferRate: 0x10,
  layer1Protocol: 5,
};

function frame(
  id: CallIdentity,
  messageType: Q931Message['messageType'],
  ies: InformationElement[],
  body: H323UUPDU['h323-message-body'],
  tunnelled: TunnelledH245 = {},
): Uint8Array {
  return encodeSignallingFrame({
    q931: { callReference: id.callReference, fromDestination: false, messageType, ies },
    userInformation: { 'h323-uu-pdu': { 'h323-message-body': body, h245Tunneling: id.h245Tunnelling } },
    tunnelled,
  });
}

export function setupFrame(id: CallIdentity, p: SetupParameters): Uint8Array {
  const sourceAddress: AliasAddress[] = [{ 'h323-ID': p.callerName }];
  if (p.callerNumber) sourceAddress.push({ dialedDigits: p.callerNumber });
  const destination = destinationAddress(p.alias);
  const called = calledPartyNumber(p.alias);
  const ies: InformationElement[] = [BEARER_CAPABILITY, { ie: 'display', text: p.callerName }];
  // Q.931 §4.5.1: elements in ascending identifier order, Keypad (0x2C) after Display (0x28).
  if (p.keypad) ies.push({ ie: 'keypadFacility', text: p.keypad });
  if (p.callerNumber)
    ies.push({
      ie: 'callingPartyNumber',
      typeOfNumber: 0,
      numberingPlan: 1,
      presentation: 0,
      screening: 0,
      digits: p.callerNumber,
    });
  if (called) ies.push(called);
  const setup: SetupUUIE = {
    protocolIdentifier: H225_PROTOCOL,
    sourceAddress,
    sourceInfo: TEST_TERMINAL,
    destCallSignalAddress: h225Address(p.destination.host, p.destination.port),
    activeMC: false,
    conferenceID: id.conferenceID,
    conferenceGoal: { create: null },
    callType: { pointToPoint: null },
    sourceCallSignalAddress: h225Address(p.source.host, p.source.port),
    callIdentifier: { guid: id.callIdentifier },
    mediaWaitForConnect: false,
    canOverlapSend: false,
    multipleCalls: false,
    maintainConnection: false,
  };
  if (p.h245Listener) setup.h245Address = h225Address(p.h245Listener.host, p.h245Listener.port);
  if (destination) setup.destinationAddress = destination;
  // The encoder fills the fastStart octets from `tunnelled`; an empty list stands in until then.
  if (p.fastStart) setup.fastStart = [];
  return frame(id, 'setup', ies, { setup }, p.fastStart ? { fastStart: p.fastStart } : {});
}

/** H.245 messages tunnelled in a Facility whose body is `empty` (H.225.0 §7.3.11, H.323 §8.2.1). */
export function tunnelFrame(id: CallIdentity, h245: H245Message[]): Uint8Array {
  return frame(id, 'facility', [], { empty: null }, { h245Control: h245 });
}

/** Q.931 Information with the Keypad facility IE (Q.931 §4.5.18, H.225.0 §7.3.6 Information-UUIE). */
export function keypadFrame(id: CallIdentity, digits: string): Uint8Array {
  return frame(id, 'information', [{ ie: 'keypadFacility', text: digits }], {
    information: { protocolIdentifier: H225_PROTOCOL, callIdentifier: { guid: id.callIdentifier } },
  });
}

/**
 * ReleaseComplete with a Q.931 cause (Q.850; 16 is normal call clearing, location user) and, when
 * H.245 is tunnelled, the closing EndSessionCommand riding in it (H.323 §8.5).
 */
export function releaseCompleteFrame(id: CallIdentity, cause: number, h245: H245Message[] = []): Uint8Array {
  return frame(
    id,
    'releaseComplete',
    [{ ie: 'cause', codingStandard: 0, location: 0, value: cause }],
    { releaseComplete: { protocolIdentifier: H225_PROTOCOL, callIdentifier: { guid: id.callIdentifier } } },
    h245.length > 0 ? { h245Control: h245 } : {},
  );
}
