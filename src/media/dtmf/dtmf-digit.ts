/** The sixteen DTMF keys (ITU-T Q.23 table 1): digits, `*`, `#` and the rarely seen A-D. */
export type DtmfDigit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#' | 'A' | 'B' | 'C' | 'D';

/**
 * How a digit reached confgate; call records and the live view show it per call. RTP telephone
 * events (RFC 4733) and in-band tones come with the media of either signalling; SIP INFO (RFC 6086)
 * with SIP; H.245 UserInputIndication `alphanumeric` or `signal` (H.245 §6, H.323 §10.5) and the
 * Q.931 Keypad Facility IE (Q.931 §4.5.18) with H.323. `rfc2833` is what an H.323 leg reports for
 * RTP telephone events (H.245's `receiveRTPAudioTelephonyEventCapability` names RFC 2833); the media
 * itself always says `rfc4733`.
 */
export type DtmfMethod =
  'rfc4733' | 'rfc2833' | 'sip-info' | 'inband' | 'h245-alphanumeric' | 'h245-signal' | 'q931-keypad';

/**
 * RFC 4733 §3.2 table 3 event codes 0-15, which are also the numeric `Signal=` values some
 * gateways put in SIP INFO (10 for `*`, 11 for `#`).
 */
export const DTMF_EVENT_DIGITS: readonly DtmfDigit[] = [
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
  '*',
  '#',
  'A',
  'B',
  'C',
  'D',
];

/** The digit for an RFC 4733 event code, or undefined for non-DTMF events (flash 16, tones...). */
export function digitForEventCode(code: number): DtmfDigit | undefined {
  return DTMF_EVENT_DIGITS[code];
}

/** Reads a key as written by people and gateways (`5`, `#`, `a`); undefined if it is no DTMF key. */
export function parseDtmfKey(text: string): DtmfDigit | undefined {
  const upper = text.toUpperCase();
  return (DTMF_EVENT_DIGITS as readonly string[]).includes(upper) ? (upper as DtmfDigit) : undefined;
}
