/**
 * Runtime shapes of ASN.1 values that have no native TypeScript counterpart.
 * SEQUENCE → object (absent OPTIONAL = missing key), CHOICE → single-key object, SEQUENCE OF → array,
 * INTEGER → number, ENUMERATED → identifier string, OCTET STRING → Uint8Array, OBJECT IDENTIFIER → dotted string.
 */

/** A BIT STRING: `length` bits, most significant bit of `data[0]` first (X.691 §16). */
export interface BitString {
  length: number;
  data: Uint8Array;
}

/**
 * Extension additions this codec does not know (X.691 §19.7), kept as their open-type contents,
 * indexed from the first unknown addition, so that re-encoding forwards them unchanged.
 * `null` marks an unknown addition that was absent.
 */
export type UnknownExtensions = Array<Uint8Array | null>;

/** A CHOICE alternative added in a later version (X.691 §23.8): its index among additions and its encoding. */
export interface UnknownAlternative {
  $unknown: { index: number; encoding: Uint8Array };
}
