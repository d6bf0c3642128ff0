/**
 * The shape of the generated ASN.1 type tables that drive the aligned-PER codec (ITU-T X.691).
 * `scripts/asn1/generate.ts` writes one flat array of {@link TypeNode}s; nodes refer to each
 * other by index, so recursive types (H.245's `GenericParameter`, ...) need no special casing.
 */

/** A SEQUENCE/SET component: name, node index, and whether it is OPTIONAL. */
export type FieldSpec = readonly [name: string, type: number, optional: boolean];
/** A CHOICE alternative: name and node index. */
export type AlternativeSpec = readonly [name: string, type: number];

/** Size or value bounds; an absent bound is unconstrained (X.691 §10.5–10.9). */
export interface Bounds {
  /** lower bound */
  readonly lb?: number;
  /** upper bound */
  readonly ub?: number;
  /** the constraint has an extension marker (X.691 §10.5.7.1, §13) */
  readonly x?: boolean;
}

/** Known-multiplier and other restricted character string types used by H.225.0/H.245. */
export type StringKind = 'IA5' | 'BMP' | 'Numeric' | 'Printable' | 'General';

interface Named {
  /** the ASN.1 type reference this node was generated from, for error paths */
  readonly n?: string;
}

export type TypeNode =
  | (Named & {
      readonly k: 'seq';
      readonly x: boolean;
      readonly f: readonly FieldSpec[];
      readonly a: readonly FieldSpec[];
    })
  | (Named & {
      readonly k: 'choice';
      readonly x: boolean;
      readonly r: readonly AlternativeSpec[];
      readonly a: readonly AlternativeSpec[];
    })
  | (Named & Bounds & { readonly k: 'of'; readonly t: number })
  | (Named & Bounds & { readonly k: 'int' })
  | (Named & { readonly k: 'enum'; readonly x: boolean; readonly r: readonly string[]; readonly a: readonly string[] })
  | (Named & { readonly k: 'bool' | 'null' | 'oid' })
  | (Named & Bounds & { readonly k: 'oct' })
  | (Named & Bounds & { readonly k: 'bit' })
  | (Named & Bounds & { readonly k: 'str'; readonly s: StringKind; readonly p?: string })
  | (Named & { readonly k: 'open'; readonly t: number });

/** The generated tables: every node, and the index of each named type (`MODULE.Type`). */
export interface TypeTable {
  readonly nodes: readonly TypeNode[];
  readonly names: Readonly<Record<string, number>>;
}
