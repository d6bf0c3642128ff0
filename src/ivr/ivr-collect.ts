import type { Language } from '../booking/booking';
import type { Logger } from '../log/logger';
import type { Admission, AdmittedParticipant, CallerSource } from '../admission/admission-port';
import type { DialTarget } from './dial-target';
import type { HangupReason } from './ivr-machine';
import { IvrSession, type DigitSource, type PromptPlayer } from './ivr-session';
import type { IvrSettings } from './ivr-settings';
import type { PromptLibrary } from './prompt-library';

/** One answered caller as the IVR sees it: where it starts, its media, and the admission to ask. */
export interface IvrCaller {
  target: Exclude<DialTarget, { kind: 'direct' }>;
  source: CallerSource;
  player: PromptPlayer;
  digits: DigitSource;
  admission: Admission;
  /** Settles when the caller hangs up. */
  gone: Promise<void>;
}

/** What the IVR needs from the deployment. */
export interface IvrOptions {
  settings: IvrSettings;
  /** A lookup or admission slower than this counts as `unavailable`. */
  admissionTimeoutMs: number;
  prompts: PromptLibrary;
  log: Logger;
}

/** How the IVR step of a call came out. */
export type IvrResult =
  /**
   * Admitted, at the verdict: "you are being connected" is playing; `connectingPrompt` settles
   * when it ends (or the caller left), before which the caller's media must not move.
   */
  | {
      kind: 'admitted';
      number: string;
      participant: AdmittedParticipant;
      language: Language;
      connectingPrompt: Promise<void>;
    }
  /** Refused: the caller heard why and goodbye; the call is to be hung up with `reason`. */
  | { kind: 'refused'; reason: HangupReason }
  | { kind: 'caller-hung-up' };

/**
 * The IVR as a step of a call: collects the conference number and access code by DTMF, asks the
 * admission, says the outcome, and resolves as soon as the caller is admitted (so the MCU leg is
 * set up while the connecting prompt plays), refused, or gone. Knows no signalling.
 */
export function collect(caller: IvrCaller, options: IvrOptions): Promise<IvrResult> {
  return new Promise((resolve) => {
    const session = new IvrSession({
      ...options,
      target: caller.target,
      source: caller.source,
      admission: caller.admission,
      player: caller.player,
      digits: caller.digits,
      onAdmitted: (admitted) =>
        resolve({ kind: 'admitted', ...admitted, connectingPrompt: session.outcome.then(() => undefined) }),
    });
    void caller.gone.then(() => session.callerHungUp());
    void session.outcome.then((outcome) => {
      // `connect` always follows `onAdmitted`, which resolved already.
      if (outcome.kind === 'hang-up') resolve({ kind: 'refused', reason: outcome.reason });
      else if (outcome.kind === 'caller-hung-up') resolve({ kind: 'caller-hung-up' });
    });
    session.start();
  });
}
