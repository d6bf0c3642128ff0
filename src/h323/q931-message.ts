/**
 * Q.931 messages as H.225.0 §7.2 profiles them for H.323 call signalling: protocol discriminator 8,
 * a call reference, the message type, then information elements. The user-user IE carries the
 * PER-encoded `H323-UserInformation` and, unlike Q.931's, has a two-octet length (H.225.0 §7.2.2.x).
 */
import { WireError } from './wire-error';

const PROTOCOL_DISCRIMINATOR = 0x08;

/** Message types confgate handles (Q.931 Table 4-2, as used by H.225.0 Table 3). */
export const Q931_MESSAGE_TYPES = {
  alerting: 0x01,
  callProceeding: 0x02,
  progress: 0x03,
  setup: 0x05,
  connect: 0x07,
  releaseComplete: 0x5a,
  facility: 0x62,
  notify: 0x6e,
  statusEnquiry: 0x75,
  information: 0x7b,
  status: 0x7d,
} as const;
export type Q931MessageType = keyof typeof Q931_MESSAGE_TYPES;

/** Information element identifiers (Q.931 Table 4-3, codeset 0). */
export const IE = {
  bearerCapability: 0x04,
  cause: 0x08,
  callState: 0x14,
  display: 0x28,
  keypadFacility: 0x2c,
  callingPartyNumber: 0x6c,
  calledPartyNumber: 0x70,
  userUser: 0x7e,
} as const;

/** Q.931 §4.5.5: bearer capability; octets after 5 are kept as `extra`. */
export interface BearerCapabilityIE {
  ie: 'bearerCapability';
  codingStandard: number;
  transferCapability: number;
  transferMode: number;
  transferRate: number;
  /** octet 4.1, present with the multirate transfer rate (0x18) */
  rateMultiplier?: number;
  /** octet 5 user information layer 1 protocol */
  layer1Protocol?: number;
  extra?: Uint8Array;
}

/** Q.931 §4.5.12 and Q.850: cause. */
export interface CauseIE {
  ie: 'cause';
  codingStandard: number;
  location: number;
  /** octet 3a, when present */
  recommendation?: number;
  value: number;
  diagnostics?: Uint8Array;
}

/** Q.931 §4.5.8 / §4.5.10: called and calling party number (IA5 digits). */
export interface PartyNumberIE {
  ie: 'calledPartyNumber' | 'callingPartyNumber';
  typeOfNumber: number;
  numberingPlan: number;
  /** calling party octet 3a */
  presentation?: number;
  screening?: number;
  digits: string;
}

/** Q.931 §4.5.16 display and §4.5.18 keypad facility: IA5 characters. */
export interface TextIE {
  ie: 'display' | 'keypadFacility';
  text: string;
}

/** H.225.0 §7.2.2.x user-user: protocol discriminator 5 (X.208/X.209 coded) and the PER bytes. */
export interface UserUserIE {
  ie: 'userUser';
  protocolDiscriminator: number;
  data: Uint8Array;
}

/** Any other element, kept as it came: single-octet ones (id ≥ 0x80) have no data. */
export interface OtherIE {
  ie: 'other';
  id: number;
  data: Uint8Array;
}

export type InformationElement = BearerCapabilityIE | CauseIE | PartyNumberIE | TextIE | UserUserIE | OtherIE;

export interface Q931Message {
  /** the call reference value (0 for the global call reference) */
  callReference: number;
  /** call reference flag: set in messages sent by the side that did not originate the reference */
  fromDestination: boolean;
  messageType: Q931MessageType;
  ies: InformationElement[];
}

const TYPE_NAMES = new Map<number, Q931MessageType>(
  Object.entries(Q931_MESSAGE_TYPES).map(([k, v]) => [v, k as Q931MessageType]),
);
const ascii = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

function decodeIE(id: number, d: Uint8Array): InformationElement {
  const need = (n: number): void => {
    if (d.length < n) throw new WireError('q931', `IE 0x${id.toString(16)} of ${d.length} octets, needs ${n}`);
  };
  switch (id) {
    case IE.bearerCapability: {
      need(2);
      const bc: BearerCapabilityIE = {
        ie: 'bearerCapability',
        codingStandard: (d[0]! >> 5) & 3,
        transferCapability: d[0]! & 0x1f,
        transferMode: (d[1]! >> 5) & 3,
        transferRate: d[1]! & 0x1f,
      };
      let at = 2;
      if (bc.transferRate === 0x18) {
        need(3);
        bc.rateMultiplier = d[at++]! & 0x7f;
      }
      if (d.length > at && ((d[at]! >> 5) & 3) === 1) bc.layer1Protocol = d[at++]! & 0x1f;
      if (d.length > at) bc.extra = d.slice(at);
      return bc;
    }
    case IE.cause: {
      need(2);
      const c: CauseIE = { ie: 'cause', codingStandard: (d[0]! >> 5) & 3, location: d[0]! & 0x0f, value: 0 };
      let at = 1;
      if (!(d[0]! & 0x80)) {
        need(3);
        c.recommendation = d[at++]! & 0x7f;
      }
      c.value = d[at++]! & 0x7f;
      if (d.length > at) c.diagnostics = d.slice(at);
      return c;
    }
    case IE.calledPartyNumber:
    case IE.callingPartyNumber: {
      need(1);
      const p: PartyNumberIE = {
        ie: id === IE.calledPartyNumber ? 'calledPartyNumber' : 'callingPartyNumber',
        typeOfNumber: (d[0]! >> 4) & 7,
        numberingPlan: d[0]! & 0x0f,
        digits: '',
      };
      let at = 1;
      if (!(d[0]! & 0x80)) {
        need(2);
        p.presentation = (d[1]! >> 5) & 3;
        p.screening = d[1]! & 3;
        at = 2;
      }
      p.digits = ascii(d.subarray(at));
      return p;
    }
    case IE.display:
      return { ie: 'display', text: ascii(d) };
    case IE.keypadFacility:
      return { ie: 'keypadFacility', text: ascii(d) };
    case IE.userUser:
      need(1);
      return { ie: 'userUser', protocolDiscriminator: d[0]!, data: d.slice(1) };
    default:
      return { ie: 'other', id, data: d.slice() };
  }
}

function encodeIE(e: InformationElement): [id: number, data: Uint8Array] {
  switch (e.ie) {
    case 'bearerCapability': {
      const rate = e.transferRate === 0x18 ? [0x80 | (e.rateMultiplier ?? 1)] : [];
      const l1 = e.layer1Protocol !== undefined ? [0x80 | 0x20 | e.layer1Protocol] : [];
      return [
        IE.bearerCapability,
        Uint8Array.from([
          0x80 | (e.codingStandard << 5) | e.transferCapability,
          0x80 | (e.transferMode << 5) | e.transferRate,
          ...rate,
          ...l1,
          ...(e.extra ?? []),
        ]),
      ];
    }
    case 'cause': {
      const head =
        e.recommendation !== undefined
          ? [(e.codingStandard << 5) | e.location, 0x80 | e.recommendation]
          : [0x80 | (e.codingStandard << 5) | e.location];
      return [IE.cause, Uint8Array.from([...head, 0x80 | e.value, ...(e.diagnostics ?? [])])];
    }
    case 'calledPartyNumber':
    case 'callingPartyNumber': {
      const has3a = e.presentation !== undefined || e.screening !== undefined;
      const head = [
        (has3a ? 0 : 0x80) | (e.typeOfNumber << 4) | e.numberingPlan,
        ...(has3a ? [0x80 | ((e.presentation ?? 0) << 5) | (e.screening ?? 0)] : []),
      ];
      return [IE[e.ie], Uint8Array.from([...head, ...Buffer.from(e.digits, 'latin1')])];
    }
    case 'display':
    case 'keypadFacility':
      return [IE[e.ie], Uint8Array.from(Buffer.from(e.text, 'latin1'))];
    case 'userUser': {
      const data = new Uint8Array(1 + e.data.length);
      data[0] = e.protocolDiscriminator;
      data.set(e.data, 1);
      return [IE.userUser, data];
    }
    case 'other':
      return [e.id, e.data];
  }
}

/** Parses a Q.931 message (the payload of one TPKT). */
export function decodeQ931(b: Uint8Array): Q931Message {
  if (b.length < 3) throw new WireError('q931', `message of ${b.length} octets`);
  if (b[0] !== PROTOCOL_DISCRIMINATOR)
    throw new WireError('q931', `protocol discriminator 0x${b[0]!.toString(16)}, expected 0x08`);
  const crLength = b[1]! & 0x0f;
  if (crLength > 2 || b[1]! & 0xf0) throw new WireError('q931', `call reference length ${b[1]}`);
  if (b.length < 3 + crLength) throw new WireError('q931', 'message ends inside its header');
  let callReference = 0;
  for (let i = 0; i < crLength; i++) callReference = (callReference << 8) | b[2 + i]!;
  const fromDestination = crLength > 0 && (b[2]! & 0x80) !== 0;
  if (crLength > 0) callReference &= crLength === 1 ? 0x7f : 0x7fff;
  const typeOctet = b[2 + crLength]!;
  const messageType = TYPE_NAMES.get(typeOctet);
  if (!messageType) throw new WireError('q931', `unsupported message type 0x${typeOctet.toString(16)}`);
  const ies: InformationElement[] = [];
  let at = 3 + crLength;
  while (at < b.length) {
    const id = b[at]!;
    if (id & 0x80) {
      // Q.931 §4.5.1: single-octet elements (sending complete, shift, ...)
      ies.push({ ie: 'other', id, data: new Uint8Array(0) });
      at += 1;
      continue;
    }
    const lenOctets = id === IE.userUser ? 2 : 1;
    if (at + 1 + lenOctets > b.length) throw new WireError('q931', `IE 0x${id.toString(16)} lacks its length`);
    const len = lenOctets === 2 ? (b[at + 1]! << 8) | b[at + 2]! : b[at + 1]!;
    const start = at + 1 + lenOctets;
    if (start + len > b.length)
      throw new WireError('q931', `IE 0x${id.toString(16)} of ${len} octets overruns the message`);
    ies.push(decodeIE(id, b.subarray(start, start + len)));
    at = start + len;
  }
  return { callReference, fromDestination, messageType, ies };
}

/** Serialises a Q.931 message with a two-octet call reference (H.225.0 §7.2.2.3). */
export function encodeQ931(m: Q931Message): Uint8Array {
  const parts: number[] = [
    PROTOCOL_DISCRIMINATOR,
    2,
    (m.fromDestination ? 0x80 : 0) | ((m.callReference >> 8) & 0x7f),
    m.callReference & 0xff,
    Q931_MESSAGE_TYPES[m.messageType],
  ];
  const chunks: Uint8Array[] = [Uint8Array.from(parts)];
  for (const e of m.ies) {
    const [id, data] = encodeIE(e);
    if (id & 0x80) chunks.push(Uint8Array.of(id));
    else if (id === IE.userUser) chunks.push(Uint8Array.of(id, data.length >> 8, data.length & 0xff), data);
    else {
      if (data.length > 255) throw new WireError('q931', `IE 0x${id.toString(16)} longer than 255 octets`);
      chunks.push(Uint8Array.of(id, data.length), data);
    }
  }
  return Buffer.concat(chunks);
}
