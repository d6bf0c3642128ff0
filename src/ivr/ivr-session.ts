import type { Language } from '../booking/booking';
import type { Logger } from '../log/logger';
import type {
  Admission,
  AdmissionAnswer,
  AdmissionRequest,
  AdmittedParticipant,
  CallerSource,
  NumberVerdict,
} from '../admission/admission-port';
import type { DialTarget } from './dial-target';
import { IvrMachine, type HangupReason, type IvrAction, type IvrEvent } from './ivr-machine';
import type { IvrSettings } from './ivr-settings';
import type { PromptClip, PromptLibrary } from './prompt-library';
import type { UNAVAILABLE } from './verdict-in-time';
import { verdictInTime } from './verdict-in-time';

/**
 * Plays prompts to one caller: the call's RTP endpoint (`src/media/`) implements it by sending
 * the clips as 20 ms G.711 packets on the shared pacer.
 */
export interface PromptPlayer {
  /**
   * Plays `clips` back to back, replacing whatever is playing. Resolves `finished` once the last
   * packet is sent, or `stopped` when `stop()` or a newer `play()` cut it short.
   */
  play(clips: readonly PromptClip[], options: { bargeIn: boolean }): Promise<'finished' | 'stopped'>;
  stop(): void;
}

/** The call's one digit stream, normalised from RFC 4733 events, SIP INFO and in-band tones. */
export interface DigitSource {
  /**
   * Subscribes to keys (`0`–`9`, `*`, `#`, `A`–`D`); returns the unsubscribe function. Keys the
   * source held for want of a listener may be handed over during the call.
   */
  onDigit(listener: (digit: string) => void): () => void;
}

/** How an IVR session ended: the call's owner connects, hangs up, or cleans up after a caller who left. */
export type IvrOutcome =
  | { kind: 'connect'; number: string; participant: AdmittedParticipant; language: Language }
  | { kind: 'hang-up'; reason: HangupReason }
  | { kind: 'caller-hung-up' };

export interface IvrSessionOptions {
  target: DialTarget;
  settings: IvrSettings;
  /** A lookup or admission slower than this counts as `unavailable`. */
  admissionTimeoutMs: number;
  source: CallerSource;
  admission: Admission;
  prompts: PromptLibrary;
  player: PromptPlayer;
  digits: DigitSource;
  log: Logger;
  /**
   * Told as soon as admission admits a caller the IVR answered, while "you are being connected"
   * still plays, so the call's owner can set up the MCU leg meanwhile; `outcome` settles when the prompt ends
   * (`connect`) or the caller leaves first (`caller-hung-up`).
   */
  onAdmitted?: (admitted: { number: string; participant: AdmittedParticipant; language: Language }) => void;
}

/**
 * How long past a prompt's own duration the session waits for the player to report its end. A
 * player that loses it (media restarted on a re-INVITE, the call's media already closed) must not
 * leave the caller in silence with no timer running, a call that would never end.
 */
export const PLAYBACK_GRACE_MS = 2000;

/**
 * Runs one call's {@link IvrMachine} with real timers, the call's media and the admission.
 * Holds at most one IVR timer, one playback watchdog and one admission deadline at a time, and
 * releases them (and its digit subscription) when the session ends, however it ends.
 */
export class IvrSession {
  /** Settles once, when the session ends. */
  readonly outcome: Promise<IvrOutcome>;
  private readonly machine: IvrMachine;
  private resolveOutcome!: (outcome: IvrOutcome) => void;
  private timer: NodeJS.Timeout | undefined;
  private stopAsking: (() => void) | undefined;
  private playbackWatchdog: NodeJS.Timeout | undefined;
  /** The wait an attacked conference asked for before it checks the code. */
  private holdTimer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private started = false;
  private ended = false;
  /** Whether the caller pressed any key: an IVR call that ends without one is counted as a failure. */
  private keyed = false;

  constructor(private readonly options: IvrSessionOptions) {
    this.machine = new IvrMachine(options.target, options.settings);
    this.outcome = new Promise((resolve) => (this.resolveOutcome = resolve));
  }

  /** Starts listening for digits and runs the IVR from its first prompt (or, for a direct dial, its admission). */
  start(): void {
    if (this.started || this.ended) return;
    this.started = true;
    // Started before subscribing: a digit source hands keys it held to a new subscriber at once,
    // and the machine takes keys only once started.
    this.dispatch({ type: 'start' });
    if (this.ended) return;
    this.unsubscribe = this.options.digits.onDigit((digit) => {
      this.keyed = true;
      this.dispatch({ type: 'digit', digit });
    });
  }

  /** The caller left (BYE or CANCEL): stop playing, release everything. */
  callerHungUp(): void {
    if (this.ended) return;
    this.dispatch({ type: 'caller-hung-up' });
    this.end({ kind: 'caller-hung-up' });
  }

  private dispatch(event: IvrEvent): void {
    if (this.ended) return;
    const actions = this.machine.handle(event);
    if (
      event.type === 'admission-verdict' &&
      event.verdict.kind === 'admitted' &&
      this.machine.phase === 'closing' &&
      this.options.onAdmitted
    ) {
      this.options.onAdmitted({
        number: this.machine.conferenceNumber!,
        participant: event.verdict.participant,
        language: this.machine.currentLanguage,
      });
    }
    for (const action of actions) this.perform(action);
  }

  private perform(action: IvrAction): void {
    switch (action.type) {
      case 'play':
        this.play(action.playId, this.options.prompts.resolve(action.language, action.clips), action.bargeIn);
        return;
      case 'stop-playback':
        this.stopWatchdog();
        this.options.player.stop();
        return;
      case 'start-timer':
        clearTimeout(this.timer);
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.dispatch({ type: 'timeout', timer: action.timer });
        }, action.ms);
        return;
      case 'stop-timer':
        clearTimeout(this.timer);
        this.timer = undefined;
        return;
      case 'lookup':
        this.ask(this.options.admission.lookup(action.number, this.options.source), (verdict: NumberVerdict) =>
          this.dispatch({ type: 'number-verdict', verdict }),
        );
        return;
      case 'admit': {
        const { number, code, via } = action;
        this.admit({ number, code, via, source: this.options.source });
        return;
      }
      case 'connect':
        this.end({
          kind: 'connect',
          number: action.number,
          participant: action.participant,
          language: this.machine.currentLanguage,
        });
        return;
      case 'hang-up':
        this.end({ kind: 'hang-up', reason: action.reason });
        return;
    }
  }

  /** Asks admission; an attacked conference's hold is waited out in silence (keys ignored), then asked again, held. */
  private admit(request: AdmissionRequest): void {
    this.ask(this.options.admission.admit(request), (answer: AdmissionAnswer) => {
      if (answer.kind !== 'hold') return this.dispatch({ type: 'admission-verdict', verdict: answer });
      this.holdTimer = setTimeout(() => {
        this.holdTimer = undefined;
        this.admit({ ...request, held: true });
      }, answer.ms);
    });
  }

  private play(playId: number, clips: PromptClip[], bargeIn: boolean): void {
    const expectedMs = clips.reduce((sum, clip) => sum + clip.durationMs, 0);
    this.stopWatchdog();
    const watchdog = setTimeout(() => {
      this.playbackWatchdog = undefined;
      this.options.log.warn(
        { callId: this.options.source.callId, expectedMs },
        'IVR prompt end never reported; carrying on',
      );
      this.dispatch({ type: 'prompt-finished', playId });
    }, expectedMs + PLAYBACK_GRACE_MS);
    this.playbackWatchdog = watchdog;
    const settled = (): void => {
      if (this.playbackWatchdog === watchdog) this.stopWatchdog();
    };
    this.options.player.play(clips, { bargeIn }).then(
      (result) => {
        settled();
        if (result === 'finished') this.dispatch({ type: 'prompt-finished', playId });
      },
      (error: unknown) => {
        settled();
        // A media failure must not leave the caller stuck in silence: carry on as if the prompt had been heard.
        this.options.log.warn({ err: error, callId: this.options.source.callId }, 'IVR prompt playback failed');
        this.dispatch({ type: 'prompt-finished', playId });
      },
    );
  }

  private stopWatchdog(): void {
    clearTimeout(this.playbackWatchdog);
    this.playbackWatchdog = undefined;
  }

  /** Waits for a verdict (`unavailable` on failure or after `admissionTimeoutMs`); one wait at a time. */
  private ask<V>(pending: Promise<V>, deliver: (verdict: V | typeof UNAVAILABLE) => void): void {
    const { admissionTimeoutMs, log, source } = this.options;
    this.stopAsking = verdictInTime(pending, admissionTimeoutMs, log, source.callId, (verdict) => {
      this.stopAsking = undefined;
      deliver(verdict);
    });
  }

  private end(outcome: IvrOutcome): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.timer);
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    this.stopAsking?.();
    this.timer = undefined;
    this.stopAsking = undefined;
    this.stopWatchdog();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.options.log.debug(
      {
        callId: this.options.source.callId,
        outcome: outcome.kind,
        ...('reason' in outcome ? { reason: outcome.reason } : {}),
      },
      'IVR ended',
    );
    // A `conf@` call gone without a key (hung up, or timed out) counts against its source (docs/admission.md).
    if (this.options.target.kind === 'ivr' && !this.keyed) void this.options.admission.noEntry(this.options.source);
    this.resolveOutcome(outcome);
  }
}
