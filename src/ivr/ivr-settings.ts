import type { Language } from '../booking/booking';
import type { Config } from '../config/config-schema';

/** The IVR's settings (`config.ivr`, `booking.numberLength`, `language`). */
export interface IvrSettings {
  firstDigitTimeoutMs: number;
  interDigitTimeoutMs: number;
  /** Failed entries per stage before goodbye and hang-up. */
  maxAttempts: number;
  /** Digits kept per entry; further digits are dropped until `#`, `*` or a timeout. */
  maxDigits: number;
  numberLength: number;
  /** The deployment's language, spoken until the booking's language is known. */
  language: Language;
}

/** The IVR's settings from the deployment's configuration. */
export function ivrSettings(config: Config): IvrSettings {
  const { firstDigitTimeoutMs, interDigitTimeoutMs, maxAttempts, maxDigits } = config.ivr;
  return {
    firstDigitTimeoutMs,
    interDigitTimeoutMs,
    maxAttempts,
    maxDigits,
    numberLength: config.booking.numberLength,
    language: config.language,
  };
}
