/**
 * One H.225.0 call-signalling frame taken apart in full: TPKT (RFC 1006), the Q.931 message, the
 * `H323-UserInformation` in its user-user IE, and the H.245 messages tunnelled inside it (fastStart
 * OpenLogicalChannels, H.323 §8.1.7; h245Control, H.323 §8.2.1). Used by `confgate h323` and by call
 * handling to come.
 */
import {
  decodeFastStartElement,
  decodeH245Message,
  decodeUserInformation,
  encodeFastStartElement,
  encodeH245Message,
  encodeUserInformation,
} from './asn1-codec';
import type { H323UserInformation } from './generated/h225-types';
import type { MultimediaSystemControlMessage, OpenLogicalChannel } from './generated/h245-types';
import { PerError } from './per/per-error';
import { decodeQ931, encodeQ931, type Q931Message } from './q931-message';
import { frameTpkt, unframeTpkt } from './tpkt';

/** H.225.0 §7.2.2.x: the user-user IE's protocol discriminator for X.208/X.209 coded user information. */
export const USER_USER_PROTOCOL = 0x05;

export interface TunnelledH245 {
  fastStart?: OpenLogicalChannel[];
  h245Control?: MultimediaSystemControlMessage[];
}

export interface SignallingFrame {
  q931: Q931Message;
  userInformation?: H323UserInformation;
  tunnelled?: TunnelledH245;
}

/** Runs a tunnelled decode; a PerError's fullPath then starts at the octets that carried the message. */
function within<T>(carrier: string, decode: () => T): T {
  try {
    return decode();
  } catch (e) {
    if (e instanceof PerError) throw e.at(e.path, `${carrier} ▸ ${e.fullPath}`);
    throw e;
  }
}

/** Decodes a TPKT frame; throws WireError or PerError (with the field path) on malformed input. */
export function decodeSignallingFrame(frame: Uint8Array): SignallingFrame {
  const q931 = decodeQ931(unframeTpkt(frame));
  const uu = q931.ies.find((e) => e.ie === 'userUser');
  if (uu?.ie !== 'userUser') return { q931 };
  const userInformation = decodeUserInformation(uu.data);
  const pdu = userInformation['h323-uu-pdu'];
  const [bodyName, body] = Object.entries(pdu['h323-message-body'])[0] as [string, { fastStart?: Uint8Array[] } | null];
  const tunnelled: TunnelledH245 = {};
  const fastStart = body?.fastStart;
  if (fastStart)
    tunnelled.fastStart = fastStart.map((b, i) =>
      within(`H323-UserInformation.h323-uu-pdu.h323-message-body.${bodyName}.fastStart[${i}]`, () =>
        decodeFastStartElement(b),
      ),
    );
  if (pdu.h245Control)
    tunnelled.h245Control = pdu.h245Control.map((b, i) =>
      within(`H323-UserInformation.h323-uu-pdu.h245Control[${i}]`, () => decodeH245Message(b)),
    );
  return Object.keys(tunnelled).length > 0 ? { q931, userInformation, tunnelled } : { q931, userInformation };
}

/**
 * The reverse: `tunnelled` messages, when given, replace the fastStart and h245Control octets of
 * `userInformation`, whose encoding replaces the data of the user-user IE (appended if missing).
 */
export function encodeSignallingFrame(f: SignallingFrame): Uint8Array {
  const ies = [...f.q931.ies];
  if (f.userInformation) {
    let ui = f.userInformation;
    if (f.tunnelled) {
      const pdu = { ...ui['h323-uu-pdu'] };
      if (f.tunnelled.h245Control) pdu.h245Control = f.tunnelled.h245Control.map(encodeH245Message);
      if (f.tunnelled.fastStart) {
        // Object.entries types the values of a union of object types as any: the checks below narrow them.
        const entries: Array<[string, unknown]> = Object.entries(pdu['h323-message-body']);
        const [key, body] = entries[0] ?? [];
        if (key === undefined || body === null || typeof body !== 'object')
          throw new PerError(
            'invalid-value',
            'fastStart given for a message body that has none',
            'H323-UU-PDU.h323-message-body',
          );
        pdu['h323-message-body'] = {
          [key]: { ...body, fastStart: f.tunnelled.fastStart.map(encodeFastStartElement) },
        } as (typeof pdu)['h323-message-body'];
      }
      ui = { ...ui, 'h323-uu-pdu': pdu };
    }
    const data = encodeUserInformation(ui);
    const at = ies.findIndex((e) => e.ie === 'userUser');
    const uu = { ie: 'userUser' as const, protocolDiscriminator: USER_USER_PROTOCOL, data };
    if (at >= 0) ies[at] = uu;
    else ies.push(uu);
  }
  return frameTpkt(encodeQ931({ ...f.q931, ies }));
}
