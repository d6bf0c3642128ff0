import type { Language } from '../booking/booking';
import type { AdmissionVerdict, AdmittedParticipant, NumberVerdict } from '../admission/admission-port';
import type { DialTarget } from './dial-target';
import type { IvrSettings } from './ivr-settings';
import { assemblePrompts, type Prompt } from './prompt-assembler';
import type { ClipId } from './prompt-catalog';

/** The IVR has one timer at a time: waiting for an entry's first digit, or for the next one. */
export type IvrTimer = 'first-digit' | 'inter-digit';

/** Which entry the caller is keying. */
export type IvrStage = 'number' | 'code';

/** Why the IVR ends a call: a refusal verdict, or too many failed entries in one stage. */
export type HangupReason = 'attempts-exhausted' | Exclude<AdmissionVerdict['kind'], 'admitted'>;

/** What happens to the IVR. `playId` ties a `prompt-finished` to the `play` it ends, so a late one is ignored. */
export type IvrEvent =
  | { type: 'start' }
  | { type: 'digit'; digit: string }
  | { type: 'prompt-finished'; playId: number }
  | { type: 'timeout'; timer: IvrTimer }
  | { type: 'number-verdict'; verdict: NumberVerdict }
  | { type: 'admission-verdict'; verdict: AdmissionVerdict }
  | { type: 'caller-hung-up' };

/**
 * What the IVR asks its runner to do. `start-timer` replaces whichever timer is running.
 * `connect` and `hang-up` are final: the machine takes no further event after them.
 */
export type IvrAction =
  | { type: 'play'; playId: number; prompts: Prompt[]; clips: ClipId[]; language: Language; bargeIn: boolean }
  | { type: 'stop-playback' }
  | { type: 'start-timer'; timer: IvrTimer; ms: number }
  | { type: 'stop-timer' }
  | { type: 'lookup'; number: string }
  | { type: 'admit'; number: string; code: string; via: 'ivr' | 'direct-dial' }
  | { type: 'connect'; number: string; participant: AdmittedParticipant }
  | { type: 'hang-up'; reason: HangupReason };

/**
 * - `idle`: not started; `collecting`: prompting and keying an entry; `looking-up`: waiting for the
 *   number's verdict (keys are held as the code typed ahead); `admitting`: waiting for the admission
 *   (keys are ignored); `closing`: saying the outcome, then connect or hang up; `done`: final.
 */
export type IvrPhase = 'idle' | 'collecting' | 'looking-up' | 'admitting' | 'closing' | 'done';

type Final =
  { type: 'connect'; number: string; participant: AdmittedParticipant } | { type: 'hang-up'; reason: HangupReason };

const KEYPAD_DIGITS = /^[0-9]$/;

/**
 * The dial-in IVR as a pure state machine: events in, actions out, no timers and no I/O, so every
 * path is tested in milliseconds (`test/ivr/ivr-machine.test.ts`) and `ivr-session.ts` runs it
 * with real timers and media. DTMF keys arrive normalised by `src/media/` from RFC 4733 events,
 * SIP INFO or in-band tones (ITU-T Q.23 keypad: 0–9, `*`, `#`; A–D are ignored).
 *
 * Rules: `#` ends an entry and is ignored on an empty one (room systems send it to open their
 * keypad); `*` clears the entry and repeats the question; any key interrupts a prompt (barge-in)
 * except the closing outcome; each stage allows `maxAttempts` failed entries (timeouts, wrong
 * number, wrong code) before goodbye and hang-up. Keys pressed while the number is looked up are
 * the code typed ahead (a room system sends `5387#8688#` in one burst): a known number takes them
 * as the start of the code (barging in on its question); any other verdict drops them, so the
 * caller hears what went wrong before keying again.
 */
export class IvrMachine {
  private phaseValue: IvrPhase = 'idle';
  private stage: IvrStage = 'number';
  private entry = '';
  private number: string | undefined;
  /** The number being looked up came in the Request-URI (code-only dial), not from the keypad. */
  private numberFromUri = false;
  private language: Language;
  private readonly failures: Record<IvrStage, number> = { number: 0, code: 0 };
  private playing: { playId: number; bargeIn: boolean } | undefined;
  private nextPlayId = 1;
  private timer: IvrTimer | undefined;
  private final: Final | undefined;
  /** Keys pressed while the number was being looked up: the code typed ahead. */
  private typedAhead = '';

  constructor(
    private readonly target: DialTarget,
    private readonly settings: IvrSettings,
  ) {
    this.language = settings.language;
  }

  get phase(): IvrPhase {
    return this.phaseValue;
  }

  /** The conference number keyed (or taken from the Request-URI), once there is one. */
  get conferenceNumber(): string | undefined {
    return this.number;
  }

  /** The language spoken now: the deployment's, then the booking's once the number is known. */
  get currentLanguage(): Language {
    return this.language;
  }

  /** Feeds one event; returns the actions to carry out, in order. Events that do not apply now are ignored. */
  handle(event: IvrEvent): IvrAction[] {
    switch (event.type) {
      case 'start':
        return this.phaseValue === 'idle' ? this.start() : [];
      case 'digit':
        if (this.phaseValue === 'looking-up') return this.typeAhead(event.digit);
        return this.phaseValue === 'collecting' ? this.key(event.digit) : [];
      case 'prompt-finished':
        return this.playing?.playId === event.playId ? this.promptFinished() : [];
      case 'timeout':
        return this.phaseValue === 'collecting' && this.timer === event.timer ? this.timeout(event.timer) : [];
      case 'number-verdict':
        return this.phaseValue === 'looking-up' ? this.numberVerdict(event.verdict) : [];
      case 'admission-verdict':
        return this.phaseValue === 'admitting' ? this.admissionVerdict(event.verdict) : [];
      case 'caller-hung-up':
        return this.phaseValue === 'done' ? [] : this.callerHungUp();
    }
  }

  private start(): IvrAction[] {
    switch (this.target.kind) {
      case 'ivr':
        return this.ask('number', ['welcome']);
      case 'code-only':
        this.number = this.target.number;
        this.numberFromUri = true;
        this.phaseValue = 'looking-up';
        return [{ type: 'lookup', number: this.target.number }];
      case 'direct':
        // No IVR: the call may not even be answered, so verdicts are not spoken (the SIP layer maps the reason).
        this.phaseValue = 'admitting';
        return [{ type: 'admit', number: this.target.number, code: this.target.code, via: 'direct-dial' }];
    }
  }

  private key(digit: string): IvrAction[] {
    if (digit === '#') return this.entry === '' ? [] : this.submit();
    if (digit === '*') {
      this.entry = '';
      return [...this.interrupt(), ...this.stopTimer(), ...this.ask(this.stage, [])];
    }
    if (!KEYPAD_DIGITS.test(digit)) return [];
    if (this.entry.length < this.settings.maxDigits) this.entry += digit;
    return [...this.interrupt(), ...this.startTimer('inter-digit')];
  }

  /** Holds a key pressed during the lookup, bounded like an entry (the `#` that may end it included). */
  private typeAhead(digit: string): IvrAction[] {
    if (this.typedAhead.length <= this.settings.maxDigits) this.typedAhead += digit;
    return [];
  }

  /**
   * The keys typed ahead, taken as if pressed the instant the code question began: the first one
   * barges in on it (a lone `#` does not, so the question is heard and timed as usual); keys after
   * a `#` that submitted the code are ignored, as keys during an admission are. No timer runs
   * during a lookup and `start-timer` replaces the running one, so only the last timer action
   * matters, and only when it starts one.
   */
  private replayTypedAhead(asked: IvrAction[]): IvrAction[] {
    const keys = this.typedAhead;
    this.typedAhead = '';
    const actions = [...asked];
    for (const digit of keys) if (this.phaseValue === 'collecting') actions.push(...this.key(digit));
    const isTimer = (a: IvrAction): boolean => a.type === 'start-timer' || a.type === 'stop-timer';
    const last = actions.findLast(isTimer);
    return actions.filter((a) => !isTimer(a) || (a === last && a.type === 'start-timer'));
  }

  private submit(): IvrAction[] {
    const entry = this.entry;
    this.entry = '';
    const actions = this.stopTimer();
    if (this.stage === 'number') {
      if (entry.length !== this.settings.numberLength) return [...actions, ...this.fail('number', 'unknown-number')];
      this.number = entry;
      this.phaseValue = 'looking-up';
      return [...actions, { type: 'lookup', number: entry }];
    }
    this.phaseValue = 'admitting';
    return [...actions, { type: 'admit', number: this.number!, code: entry, via: 'ivr' }];
  }

  private promptFinished(): IvrAction[] {
    this.playing = undefined;
    if (this.phaseValue === 'closing') return this.finish(this.final!);
    return this.phaseValue === 'collecting' && this.entry === '' ? this.startTimer('first-digit') : [];
  }

  private timeout(timer: IvrTimer): IvrAction[] {
    this.timer = undefined;
    this.entry = '';
    return this.fail(this.stage, timer === 'first-digit' ? 'no-input' : 'incomplete');
  }

  private numberVerdict(verdict: NumberVerdict): IvrAction[] {
    const fromUri = this.numberFromUri;
    this.numberFromUri = false;
    if (verdict.kind !== 'known') this.typedAhead = '';
    switch (verdict.kind) {
      case 'known':
        this.language = verdict.language;
        return this.replayTypedAhead(this.ask('code', fromUri ? ['welcome'] : []));
      case 'unknown':
        this.number = undefined;
        // A number dialled in the Request-URI was not keyed by the caller: ask for it without counting a failure.
        return fromUri ? this.ask('number', ['welcome', 'unknown-number']) : this.fail('number', 'unknown-number');
      case 'too-many-attempts':
      case 'unavailable':
        return this.close([verdict.kind, 'goodbye'], { type: 'hang-up', reason: verdict.kind });
    }
  }

  private admissionVerdict(verdict: AdmissionVerdict): IvrAction[] {
    if (this.target.kind === 'direct') {
      return this.finish(
        verdict.kind === 'admitted'
          ? { type: 'connect', number: this.target.number, participant: verdict.participant }
          : { type: 'hang-up', reason: verdict.kind },
      );
    }
    if ('language' in verdict && verdict.language) this.language = verdict.language;
    switch (verdict.kind) {
      case 'admitted':
        return this.close(['connecting'], { type: 'connect', number: this.number!, participant: verdict.participant });
      case 'unknown':
        // The number vanished between lookup and admission (booking cancelled): start over from the number.
        this.number = undefined;
        return this.fail('number', 'unknown-number');
      case 'wrong-code':
        return this.fail('code', 'wrong-code');
      case 'not-open':
        return this.close([{ kind: 'not-open', start: verdict.start }, 'goodbye'], {
          type: 'hang-up',
          reason: 'not-open',
        });
      case 'ended':
      case 'full':
      case 'locked':
      case 'too-many-attempts':
      case 'unavailable':
        return this.close([verdict.kind, 'goodbye'], { type: 'hang-up', reason: verdict.kind });
    }
  }

  private callerHungUp(): IvrAction[] {
    const actions = [...this.interrupt(), ...this.stopTimer()];
    this.phaseValue = 'done';
    return actions;
  }

  /** A failed entry: say why and ask again, or after `maxAttempts` failures say goodbye and hang up. */
  private fail(stage: IvrStage, why: Prompt): IvrAction[] {
    this.failures[stage] += 1;
    if (this.failures[stage] >= this.settings.maxAttempts) {
      return this.close([why, 'goodbye'], { type: 'hang-up', reason: 'attempts-exhausted' });
    }
    return this.ask(stage, [why]);
  }

  private ask(stage: IvrStage, before: Prompt[]): IvrAction[] {
    this.stage = stage;
    this.phaseValue = 'collecting';
    return this.play([...before, stage === 'number' ? 'enter-number' : 'enter-code'], true);
  }

  /** Says the outcome without barge-in, then `final` when it has been heard. */
  private close(prompts: Prompt[], final: Final): IvrAction[] {
    this.phaseValue = 'closing';
    this.final = final;
    return this.play(prompts, false);
  }

  private finish(final: Final): IvrAction[] {
    this.phaseValue = 'done';
    return [final];
  }

  private play(prompts: Prompt[], bargeIn: boolean): IvrAction[] {
    const playId = this.nextPlayId++;
    this.playing = { playId, bargeIn };
    return [
      {
        type: 'play',
        playId,
        prompts,
        clips: assemblePrompts(prompts, this.language),
        language: this.language,
        bargeIn,
      },
    ];
  }

  private interrupt(): IvrAction[] {
    if (!this.playing) return [];
    this.playing = undefined;
    return [{ type: 'stop-playback' }];
  }

  private startTimer(timer: IvrTimer): IvrAction[] {
    this.timer = timer;
    const ms = timer === 'first-digit' ? this.settings.firstDigitTimeoutMs : this.settings.interDigitTimeoutMs;
    return [{ type: 'start-timer', timer, ms }];
  }

  private stopTimer(): IvrAction[] {
    if (!this.timer) return [];
    this.timer = undefined;
    return [{ type: 'stop-timer' }];
  }
}
