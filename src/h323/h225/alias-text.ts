import type { AliasAddress } from '../generated/h225-types';

/**
 * The dialable text of an H.225.0 alias (H.225.0 §7.6 `AliasAddress`): `dialedDigits` and `h323-ID`
 * as they are, the user part of a `url-ID` (`h323:5387@host`, H.323 Annex O) or of an `email-ID`
 * (`5387@host`); undefined for an alias with nothing to dial (transportID, partyNumber, ...).
 */
export function aliasText(alias: AliasAddress): string | undefined {
  if ('dialedDigits' in alias) return alias.dialedDigits;
  if ('h323-ID' in alias) return alias['h323-ID'];
  if ('url-ID' in alias) return userPart(alias['url-ID'].replace(/^[a-z][a-z0-9+.-]*:/i, ''));
  if ('email-ID' in alias) return userPart(alias['email-ID']);
  return undefined;
}

function userPart(address: string): string {
  const at = address.lastIndexOf('@');
  return at >= 0 ? address.slice(0, at) : address;
}

/**
 * What a caller dialled: the first alias of the Setup's `destinationAddress` that names something
 * (a dialled-digits alias first, as gateways put the number there), else the Called Party Number
 * IE (Q.931 §4.5.8), else nothing (a bare `h323:host` call: the IVR asks for the number).
 */
export function dialledAlias(
  destination: readonly AliasAddress[] | undefined,
  calledNumber: string | undefined,
): string | undefined {
  const texts = (destination ?? []).filter((a) => aliasText(a)).sort((a, b) => rank(a) - rank(b));
  const first = texts[0];
  const text = first ? aliasText(first) : undefined;
  if (text) return text;
  return calledNumber || undefined;
}

const rank = (alias: AliasAddress): number => ('dialedDigits' in alias ? 0 : 1);
