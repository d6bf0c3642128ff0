/**
 * The ways a terminal keys digits (H.323 §10.5): H.245 UserInputIndication `alphanumeric` (H.245
 * §6.5.3, the basicString capability), `signal` with its duration and `signalUpdate` refining the
 * duration of the signal still sounding (the dtmf capability), and the Q.931 Keypad facility IE
 * (Q.931 §4.5.18) in an Information message; RFC 2833 and in-band tones ride in RTP elsewhere.
 */
import type { MultimediaSystemControlMessage as H245Message } from '../../../src/h323/generated/h245-types';

/** How the endpoint sends a digit; the names are those confgate's live view records (issue 13). */
export type DigitMethod = 'h245-alphanumeric' | 'h245-signal' | 'q931-keypad' | 'rfc2833' | 'inband';

export const DIGIT_METHODS: readonly DigitMethod[] = [
  'h245-alphanumeric',
  'h245-signal',
  'q931-keypad',
  'rfc2833',
  'inband',
];

/** H.245 UserInputIndication.alphanumeric: the digits as a GeneralString. */
export function alphanumeric(digits: string): H245Message {
  return { indication: { userInput: { alphanumeric: digits } } };
}

/**
 * H.245 UserInputIndication.signal for one key (`signalType` is one of "0123456789#*ABCD!"), with the
 * duration in ms when already known; and the signalUpdate that gives it once the key is released.
 */
export function signal(digit: string, durationMs?: number): H245Message {
  return {
    indication: {
      userInput: {
        signal: durationMs === undefined ? { signalType: digit } : { signalType: digit, duration: durationMs },
      },
    },
  };
}

export function signalUpdate(durationMs: number): H245Message {
  return { indication: { userInput: { signalUpdate: { duration: durationMs } } } };
}
