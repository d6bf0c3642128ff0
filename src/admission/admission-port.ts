import type { Language } from '../booking/booking';

/** Where a call comes from, for brute-force limits (per source address) and call records. */
export interface CallerSource {
  /** The caller's signalling address (IP), as the SIP or H.323 layer saw it. */
  address: string;
  /** SIP Call-ID or H.323 call identifier. */
  callId: string;
}

/** What the IVR (or a direct dial) asks: may this caller join conference `number` with `code`? */
export interface AdmissionRequest {
  number: string;
  /** Digits as keyed; never logged (the logger redacts `code`). */
  code: string;
  source: CallerSource;
  /** `ivr` when keyed by DTMF, `direct-dial` when both came in the Request-URI. */
  via: 'ivr' | 'direct-dial';
  /**
   * Ids of the MCUs that are up, in routing's view. When given, an admission that keeps placements
   * (Redis) also says where the caller's conference already is, read in the same atomic step, so
   * routing needs no second round trip for every participant after the first.
   */
  upMcus?: readonly string[];
  /** The caller waited the hold the conference answered (see {@link AdmissionHold}): its code is checked now. */
  held?: boolean;
}

/** Where the conference of an admitted caller already is: an MCU among `upMcus`, and the booking's title for its URI template. */
export interface KnownPlacement {
  mcuId: string;
  title: string;
}

/** The participant admitted, as the admission recorded it (its lease and routing use these ids). */
export interface AdmittedParticipant {
  participantId: string;
  bookingId: string;
}

/** Local wall-clock start of a conference, in the booking's time zone, for "it starts at 10:00". */
export interface LocalStart {
  hour: number;
  minute: number;
  /** False when the conference is on another day than today (in its time zone): the IVR then says so instead. */
  today: boolean;
}

/**
 * The admission's answer. Verdicts about a known conference carry its booking's language, so the
 * IVR speaks the rest of the call in it. Only `unknown` (re-ask the number) and `wrong-code`
 * (re-ask the code) let the caller try again; every other refusal ends the call.
 */
export type AdmissionVerdict =
  | { kind: 'admitted'; participant: AdmittedParticipant; language?: Language; placedOn?: KnownPlacement }
  | { kind: 'unknown' }
  | { kind: 'wrong-code'; language?: Language }
  | { kind: 'not-open'; start: LocalStart; language?: Language }
  | { kind: 'ended'; language?: Language }
  | { kind: 'full'; language?: Language }
  | { kind: 'locked'; language?: Language }
  | {
      kind: 'too-many-attempts';
      /**
       * Set when an attacked conference has spent its budget of codes from new sources: when it has
       * room again (a direct dial's `Retry-After`, RFC 3261 §20.33).
       */
      retryAfterSeconds?: number;
    }
  | { kind: 'unavailable' };

/**
 * A conference under a guessing attack checks no code at once: the caller waits `ms` (in silence,
 * or before the final response of a direct dial), then asks again with `held: true`. A guesser who
 * hangs up first has had nothing checked; a caller with the right code is admitted after the wait.
 */
export interface AdmissionHold {
  kind: 'hold';
  ms: number;
}

/** What `Admission.admit` answers: a verdict, or a hold before it. */
export type AdmissionAnswer = AdmissionVerdict | AdmissionHold;

/** Answer to a number lookup made before asking the code: the number exists (in which language), or not. */
export type NumberVerdict =
  | { kind: 'known'; language: Language }
  | Extract<AdmissionVerdict, { kind: 'unknown' | 'too-many-attempts' | 'unavailable' }>;

/**
 * The seam between the IVR and admission (implemented against Redis by `src/admission/`).
 * Implementations never throw for a caller's mistake: they answer a verdict. A rejected promise
 * or no answer in time is treated by the IVR as `unavailable`.
 */
export interface Admission {
  /** Is `number` a conference (and in which language)? Counts towards brute-force limits like `admit`. */
  lookup(number: string, source: CallerSource): Promise<NumberVerdict>;
  /** Decides admission of one caller; on `admitted`, the participant is counted against the connection cap. */
  admit(request: AdmissionRequest): Promise<AdmissionAnswer>;
  /**
   * An IVR call (`conf@`) that ended, hung up or timed out, without a single key: counted as one
   * failure of its source, so silent calls cannot hold IVR ports for free. Never throws.
   */
  noEntry(source: CallerSource): Promise<void>;
}
