/** What went wrong while encoding or decoding aligned PER (ITU-T X.691). */
export type PerErrorKind =
  /** the input ended before the encoding did */
  | 'truncated'
  /** a value or length lies outside its PER-visible constraint (X.691 §10.5, §10.9) */
  | 'constraint'
  /** the value given to the encoder does not have the shape of its ASN.1 type */
  | 'invalid-value'
  /** a bit pattern X.691 forbids (bad fragment count, bad OID, ...) */
  | 'malformed'
  /** nesting deeper than any H.323 message needs, refused to keep the stack bounded */
  | 'too-deep';

/**
 * The only error the PER codec throws. `path` names the innermost named type and the fields below it
 * (`Setup-UUIE.fastStart[1]`); `fullPath` starts at the root type.
 */
export class PerError extends Error {
  constructor(
    readonly kind: PerErrorKind,
    readonly detail: string,
    readonly path = '',
    readonly fullPath = '',
  ) {
    super(path ? `${path}: ${detail}` : detail);
    this.name = 'PerError';
  }

  /** The same error located at a field path. */
  at(path: string, fullPath: string): PerError {
    return new PerError(this.kind, this.detail, path, fullPath);
  }
}
