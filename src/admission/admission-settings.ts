import type { Config } from '../config/config-schema';
import type { FailureLimit, HoldRate } from './admission-rules';

/** Admission's settings in milliseconds, read once from `config.admission` and `config.booking`. */
export interface AdmissionSettings {
  /** `booking.earlyJoinMinutes`: the in-process admission derives windows with it, as the booking service does. */
  earlyJoinMs: number;
  /** `booking.graceMinutes`. */
  graceMs: number;
  leaseMs: number;
  renewMs: number;
  reapMs: number;
  endedNoticeMs: number;
  /**
   * `conference.max` is the attack threshold: past it the conference is throttled, never closed.
   * `budget`: codes from subjects not proven it then checks in an hour.
   */
  limits: { subject: FailureLimit; conference: FailureLimit; newSubject: number; budget: FailureLimit };
  /** The wait before an attacked conference checks a code. */
  hold: HoldRate;
  /** A subject admitted this recently is proven: it keeps its full limit on an attacked conference. */
  provenMs: number;
  /** Lower-cased gateway addresses. */
  trustedGateways: ReadonlySet<string>;
}

const MIN = 60_000;

/** Whole milliseconds: Redis takes `PX` and scores as integers. */
const ms = (value: number): number => Math.round(value);

export function admissionSettings(config: Config): AdmissionSettings {
  const a = config.admission;
  return {
    earlyJoinMs: ms(config.booking.earlyJoinMinutes * MIN),
    graceMs: ms(config.booking.graceMinutes * MIN),
    leaseMs: ms(a.leaseSeconds * 1000),
    renewMs: ms(a.renewSeconds * 1000),
    reapMs: ms(a.reapSeconds * 1000),
    endedNoticeMs: ms(a.endedNoticeHours * 60 * MIN),
    limits: {
      subject: { max: a.maxFailuresPerSource, windowMs: ms(a.sourceWindowMinutes * MIN) },
      conference: { max: a.maxFailuresPerConference, windowMs: ms(a.conferenceWindowMinutes * MIN) },
      newSubject: a.maxFailuresPerNewSource,
      budget: { max: a.attackNewSourceChecksPerHour, windowMs: 60 * MIN },
    },
    hold: { stepMs: ms(a.attackHoldStepSeconds * 1000), maxMs: ms(a.attackHoldMaxSeconds * 1000) },
    provenMs: ms(a.provenSourceDays * 24 * 60 * MIN),
    trustedGateways: new Set(a.trustedGateways.map((g) => g.toLowerCase())),
  };
}
