/**
 * How the test endpoint names what it calls: the forms room systems use (issue 13, "Dial forms"),
 * written into the Setup's `destinationAddress` (H.225.0 §7.3.1 Setup-UUIE) or the Q.931 Called Party
 * Number element (Q.931 §4.5.8), or both.
 */
import type { AliasAddress } from '../../../src/h323/generated/h225-types';
import type { PartyNumberIE } from '../../../src/h323/q931-message';

/** The alias forms of H.225.0 §7.6 AliasAddress the tests dial with, plus the Q.931 number. */
export type DialledAlias =
  | { dialedDigits: string }
  | { 'h323-ID': string }
  | { 'url-ID': string }
  | { 'email-ID': string }
  /** only the Called Party Number IE, no destinationAddress (as PBX gateways send) */
  | { calledPartyNumber: string };

/** The Setup's destinationAddress for the alias, or undefined when the Q.931 number alone carries it. */
export function destinationAddress(alias: DialledAlias | undefined): AliasAddress[] | undefined {
  if (!alias || 'calledPartyNumber' in alias) return undefined;
  return [alias];
}

/**
 * The Called Party Number IE: E.164 digits in the ISDN plan (Q.931 §4.5.8, numbering plan 1, type
 * unknown), for the Q.931-only form and alongside dialedDigits (H.225.0 §7.2.2.6 sends both).
 */
export function calledPartyNumber(alias: DialledAlias | undefined): PartyNumberIE | undefined {
  const digits =
    alias &&
    ('calledPartyNumber' in alias ? alias.calledPartyNumber : 'dialedDigits' in alias ? alias.dialedDigits : undefined);
  if (digits === undefined) return undefined;
  return { ie: 'calledPartyNumber', typeOfNumber: 0, numberingPlan: 1, digits };
}
