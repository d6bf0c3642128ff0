/**
 * Typed entry points of the generated aligned-PER codec for the three H.323 message roots:
 * `H323-UserInformation` (H.225.0 §7.3, carried in the Q.931 user-user IE), `RasMessage` (H.225.0 §7.7,
 * UDP 1719) and `MultimediaSystemControlMessage` (H.245, tunnelled or on its own TCP channel).
 */
import type { H323UserInformation, RasMessage } from './generated/h225-types';
import type { MultimediaSystemControlMessage, OpenLogicalChannel } from './generated/h245-types';
import { typeTable } from './generated/type-table';
import { PerDecoder } from './per/per-decoder';
import { PerEncoder } from './per/per-encoder';

const decoder = new PerDecoder(typeTable);
const encoder = new PerEncoder(typeTable);

/** Node index of a named type (`MODULE.Type`); throws for a name the generator did not emit. */
export function typeIndex(qualifiedName: string): number {
  const idx = typeTable.names[qualifiedName];
  if (idx === undefined) throw new Error(`no generated ASN.1 type ${qualifiedName}`);
  return idx;
}

/** Decodes any generated type by its qualified name; throws only {@link PerError}. */
export function decodePer(qualifiedName: string, bytes: Uint8Array): unknown {
  return decoder.decode(typeIndex(qualifiedName), bytes);
}

/** Encodes any generated type by its qualified name; throws only {@link PerError}. */
export function encodePer(qualifiedName: string, value: unknown): Uint8Array {
  return encoder.encode(typeIndex(qualifiedName), value);
}

const USER_INFORMATION = typeIndex('H323-MESSAGES.H323-UserInformation');
const RAS = typeIndex('H323-MESSAGES.RasMessage');
const H245 = typeIndex('MULTIMEDIA-SYSTEM-CONTROL.MultimediaSystemControlMessage');
const OLC = typeIndex('MULTIMEDIA-SYSTEM-CONTROL.OpenLogicalChannel');

export const decodeUserInformation = (bytes: Uint8Array): H323UserInformation =>
  decoder.decode(USER_INFORMATION, bytes) as H323UserInformation;
export const encodeUserInformation = (v: H323UserInformation): Uint8Array => encoder.encode(USER_INFORMATION, v);
export const decodeRasMessage = (bytes: Uint8Array): RasMessage => decoder.decode(RAS, bytes) as RasMessage;
export const encodeRasMessage = (v: RasMessage): Uint8Array => encoder.encode(RAS, v);
export const decodeH245Message = (bytes: Uint8Array): MultimediaSystemControlMessage =>
  decoder.decode(H245, bytes) as MultimediaSystemControlMessage;
export const encodeH245Message = (v: MultimediaSystemControlMessage): Uint8Array => encoder.encode(H245, v);
/** fastStart elements are encoded OpenLogicalChannel structures (H.225.0 §7.3.1, H.323 §8.1.7). */
export const decodeFastStartElement = (bytes: Uint8Array): OpenLogicalChannel =>
  decoder.decode(OLC, bytes) as OpenLogicalChannel;
export const encodeFastStartElement = (v: OpenLogicalChannel): Uint8Array => encoder.encode(OLC, v);
