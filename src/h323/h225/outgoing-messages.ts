import type { EndpointType, H323UUPDU, ReleaseCompleteReason, TransportAddress } from '../generated/h225-types';
import type { MultimediaSystemControlMessage, OpenLogicalChannel } from '../generated/h245-types';
import { IE, type InformationElement, type Q931MessageType } from '../q931-message';
import type { SignallingFrame } from '../signalling-frame';
import type { CallKeys } from './call-keys';
import type { SocketAddress } from './incoming-setup';

/** H.225.0 version 4 (H.225.0 §7.3 protocolIdentifier), what confgate speaks. */
export const H225_PROTOCOL = '0.0.8.2250.0.4';

/** confgate as an H.323 endpoint (H.225.0 §7.3 EndpointType): a terminal, not an MC. */
export const CONFGATE_ENDPOINT: EndpointType = {
  vendor: {
    vendor: { t35CountryCode: 181, t35Extension: 0, manufacturerCode: 21324 },
    productId: Uint8Array.from(Buffer.from('confgate')),
    versionId: Uint8Array.from(Buffer.from('1')),
  },
  terminal: {},
  mc: false,
  undefinedNode: false,
};

/** What a message may carry besides its body: tunnelled H.245 (H.323 §8.2.1), fastStart, an H.245 address. */
export interface MessageExtras {
  h245Tunnelling: boolean;
  h245Control?: MultimediaSystemControlMessage[];
  fastStart?: OpenLogicalChannel[];
  h245Address?: SocketAddress;
}

type Body = H323UUPDU['h323-message-body'];

/** The user information of one outgoing message; fastStart and h245Control are given decoded, the codec encodes them. */
function frame(
  keys: CallKeys,
  messageType: Q931MessageType,
  body: Body,
  x: MessageExtras,
  ies: InformationElement[] = [],
): SignallingFrame {
  const tunnelled = {
    ...(x.h245Control?.length ? { h245Control: x.h245Control } : {}),
    ...(x.fastStart?.length ? { fastStart: x.fastStart } : {}),
  };
  return {
    q931: { callReference: keys.callReference, fromDestination: true, messageType, ies },
    userInformation: { 'h323-uu-pdu': { 'h323-message-body': body, h245Tunneling: x.h245Tunnelling } },
    ...(Object.keys(tunnelled).length > 0 ? { tunnelled } : {}),
  };
}

const callIdentifier = (keys: CallKeys): { callIdentifier?: { guid: Uint8Array } } =>
  keys.callIdentifier ? { callIdentifier: { guid: keys.callIdentifier } } : {};

/** The placeholder fastStart array the codec's `tunnelled.fastStart` replaces (it needs the field present). */
const fastStartSlot = (x: MessageExtras): { fastStart?: Uint8Array[] } =>
  x.fastStart?.length ? { fastStart: [] } : {};

function transportAddress(a: SocketAddress): TransportAddress {
  return { ipAddress: { ip: Uint8Array.from(a.address.split('.').map(Number)), port: a.port } };
}

const h245AddressOf = (x: MessageExtras): { h245Address?: TransportAddress } =>
  x.h245Address ? { h245Address: transportAddress(x.h245Address) } : {};

const common = { protocolIdentifier: H225_PROTOCOL, multipleCalls: false, maintainConnection: false };

/** The fields Call Proceeding, Alerting and Connect share: confgate as the destination, the call's identifier, H.245 and fastStart. */
function answerBody(keys: CallKeys, x: MessageExtras) {
  return {
    ...common,
    destinationInfo: CONFGATE_ENDPOINT,
    ...h245AddressOf(x),
    ...callIdentifier(keys),
    ...fastStartSlot(x),
  };
}

/** Call Proceeding (H.225.0 §7.3.2, Q.931 §3.1.2): the Setup is taken, the caller's T303 stops. */
export function callProceeding(keys: CallKeys, x: MessageExtras): SignallingFrame {
  return frame(keys, 'callProceeding', { callProceeding: answerBody(keys, x) }, x);
}

/** Alerting (H.225.0 §7.3.3, Q.931 §3.1.1). */
export function alerting(keys: CallKeys, x: MessageExtras): SignallingFrame {
  return frame(keys, 'alerting', { alerting: answerBody(keys, x) }, x);
}

/** Connect (H.225.0 §7.3.4, Q.931 §3.1.3): the call is answered. */
export function connect(keys: CallKeys, x: MessageExtras): SignallingFrame {
  return frame(keys, 'connect', { connect: { ...answerBody(keys, x), conferenceID: keys.conferenceId } }, x);
}

/**
 * Release Complete (H.225.0 §7.3.9, Q.931 §3.1.9): the call is over; the Cause IE (Q.850 value,
 * location "private network serving the local user") says why, as the UUIE's reason does for H.225.0.
 */
export function releaseComplete(
  keys: CallKeys,
  cause: number,
  reason: ReleaseCompleteReason,
  x: MessageExtras,
): SignallingFrame {
  const body = { protocolIdentifier: H225_PROTOCOL, reason, ...callIdentifier(keys) };
  return frame(keys, 'releaseComplete', { releaseComplete: body }, x, [causeIE(cause)]);
}

/** Facility (H.225.0 §7.3.7) with `startH245` and confgate's H.245 address (H.323 §8.2.3), or with tunnelled H.245 only. */
export function facility(keys: CallKeys, x: MessageExtras): SignallingFrame {
  if (!x.h245Address) return frame(keys, 'facility', { empty: null }, x);
  const body = {
    ...common,
    reason: { startH245: null },
    conferenceID: keys.conferenceId,
    ...h245AddressOf(x),
    ...callIdentifier(keys),
  };
  return frame(keys, 'facility', { facility: body }, x);
}

/**
 * Status (Q.931 §3.1.16, H.225.0 §7.3.11), the answer to a Status Enquiry or to a message the
 * call's state does not expect: its Cause (30 "response to STATUS ENQUIRY", 98 "message not
 * compatible with call state", ...) and the Call State IE (Q.931 §4.5.7).
 */
export function status(keys: CallKeys, cause: number, callState: number, x: MessageExtras): SignallingFrame {
  const guid = keys.callIdentifier ?? new Uint8Array(16);
  const body = { protocolIdentifier: H225_PROTOCOL, callIdentifier: { guid } };
  return frame(keys, 'status', { status: body }, x, [
    causeIE(cause),
    { ie: 'other', id: IE.callState, data: Uint8Array.of(callState & 0x3f) },
  ]);
}

/** Q.931 §4.5.12: ITU-T coding, location 1 (private network serving the local user). */
function causeIE(value: number): InformationElement {
  return { ie: 'cause', codingStandard: 0, location: 1, value };
}
