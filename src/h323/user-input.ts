import type { UserInputIndication } from './generated/h245-types';

/** How a key reached confgate in H.323 signalling (RTP events and in-band tones come with the media). */
export type H323KeyMethod = 'h245-alphanumeric' | 'h245-signal' | 'q931-keypad';

/** One key from signalling: one of the sixteen DTMF keys (ITU-T Q.23), upper case. */
export interface H323Key {
  key: string;
  method: H323KeyMethod;
}

const DTMF = /^[0-9*#A-D]$/;

/** The DTMF keys in a text (alphanumeric UII, Keypad IE), others dropped: a room system may send `"1234#"` in one go. */
export function keysOf(text: string, method: H323KeyMethod): H323Key[] {
  return [...text.toUpperCase()].filter((c) => DTMF.test(c)).map((key) => ({ key, method }));
}

/**
 * The keys of an H.245 UserInputIndication (H.245 §6, H.323 §10.5): `alphanumeric` (each DTMF
 * character is a key), `signal` (one key, its `signalType`); a `signalUpdate` only lengthens the
 * key already reported, and user input support indications carry none.
 */
export function keysOfUserInput(uii: UserInputIndication): H323Key[] {
  if ('alphanumeric' in uii) return keysOf(uii.alphanumeric, 'h245-alphanumeric');
  if ('extendedAlphanumeric' in uii) return keysOf(uii.extendedAlphanumeric.alphanumeric, 'h245-alphanumeric');
  if ('signal' in uii) return keysOf(uii.signal.signalType, 'h245-signal').slice(0, 1);
  return [];
}
