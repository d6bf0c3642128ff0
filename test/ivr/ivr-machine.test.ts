import fc from 'fast-check';
import type { AdmissionVerdict, NumberVerdict } from '../../src/admission/admission-port';
import type { DialTarget } from '../../src/ivr/dial-target';
import { configSchema } from '../../src/config/config-schema';
import { IvrMachine, type IvrAction, type IvrEvent } from '../../src/ivr/ivr-machine';
import { ivrSettings, type IvrSettings } from '../../src/ivr/ivr-settings';

/** The defaults: 10 s first digit, 5 s between digits, 3 attempts, 20 digits, 4-digit numbers, English. */
const settings = ivrSettings(configSchema.parse({}));
const participant = { participantId: 'p-1', bookingId: 'b-1' };
const known: NumberVerdict = { kind: 'known', language: 'en' };

type Play = Extract<IvrAction, { type: 'play' }>;

/** Drives a machine the way a runner would, remembering the prompt playing now. */
class Driver {
  readonly machine: IvrMachine;
  playing: Play | undefined;

  constructor(target: DialTarget = { kind: 'ivr' }, overrides: Partial<IvrSettings> = {}) {
    this.machine = new IvrMachine(target, { ...settings, ...overrides });
  }

  send(event: IvrEvent): IvrAction[] {
    const actions = this.machine.handle(event);
    for (const action of actions) {
      if (action.type === 'play') this.playing = action;
      if (action.type === 'stop-playback') this.playing = undefined;
    }
    return actions;
  }

  start(): IvrAction[] {
    return this.send({ type: 'start' });
  }

  keys(digits: string): IvrAction[] {
    return [...digits].flatMap((digit) => this.send({ type: 'digit', digit }));
  }

  /** The prompt playing now is heard to its end. */
  finish(): IvrAction[] {
    const play = this.playing;
    if (!play) throw new Error('nothing is playing');
    this.playing = undefined;
    return this.send({ type: 'prompt-finished', playId: play.playId });
  }

  lookup(verdict: NumberVerdict): IvrAction[] {
    return this.send({ type: 'number-verdict', verdict });
  }

  verdict(verdict: AdmissionVerdict): IvrAction[] {
    return this.send({ type: 'admission-verdict', verdict });
  }

  /** From the start through 5387# keyed: its lookup is running. */
  toLookup(): void {
    this.start();
    this.finish();
    this.keys('5387#');
  }

  /** From the start through a known number, up to the code question heard to its end. */
  toCodeStage(): void {
    this.toLookup();
    this.lookup(known);
    this.finish();
  }
}

function plays(actions: IvrAction[]): Pick<Play, 'prompts' | 'bargeIn'>[] {
  return actions.filter((a): a is Play => a.type === 'play').map(({ prompts, bargeIn }) => ({ prompts, bargeIn }));
}

describe('IvrMachine', () => {
  it('success: welcome, number, code, connecting, connect', () => {
    const d = new Driver();
    expect(d.start()).toEqual([
      {
        type: 'play',
        playId: 1,
        prompts: ['welcome', 'enter-number'],
        clips: ['welcome', 'enter-number'],
        language: 'en',
        bargeIn: true,
      },
    ]);
    expect(d.finish()).toEqual([{ type: 'start-timer', timer: 'first-digit', ms: 10000 }]);
    expect(d.keys('5')).toEqual([{ type: 'start-timer', timer: 'inter-digit', ms: 5000 }]);
    expect(d.keys('387')).toEqual(Array(3).fill({ type: 'start-timer', timer: 'inter-digit', ms: 5000 }));
    expect(d.keys('#')).toEqual([{ type: 'stop-timer' }, { type: 'lookup', number: '5387' }]);
    expect(d.machine.phase).toBe('looking-up');
    expect(d.lookup({ kind: 'known', language: 'fr' })).toEqual([
      { type: 'play', playId: 2, prompts: ['enter-code'], clips: ['enter-code'], language: 'fr', bargeIn: true },
    ]);
    expect(d.finish()).toEqual([{ type: 'start-timer', timer: 'first-digit', ms: 10000 }]);
    d.keys('8688');
    expect(d.keys('#')).toEqual([{ type: 'stop-timer' }, { type: 'admit', number: '5387', code: '8688', via: 'ivr' }]);
    expect(plays(d.verdict({ kind: 'admitted', participant, language: 'fr' }))).toEqual([
      { prompts: ['connecting'], bargeIn: false },
    ]);
    expect(d.machine.phase).toBe('closing');
    expect(d.keys('1#')).toEqual([]);
    expect(d.finish()).toEqual([{ type: 'connect', number: '5387', participant }]);
    expect(d.machine.phase).toBe('done');
    expect(d.keys('1')).toEqual([]);
  });

  it('wrong code once, then the right one', () => {
    const d = new Driver();
    d.toCodeStage();
    expect(d.keys('1111#')).toContainEqual({ type: 'admit', number: '5387', code: '1111', via: 'ivr' });
    expect(plays(d.verdict({ kind: 'wrong-code' }))).toEqual([
      { prompts: ['wrong-code', 'enter-code'], bargeIn: true },
    ]);
    d.finish();
    expect(d.keys('8688#')).toContainEqual({ type: 'admit', number: '5387', code: '8688', via: 'ivr' });
    d.verdict({ kind: 'admitted', participant });
    expect(d.finish()).toEqual([{ type: 'connect', number: '5387', participant }]);
  });

  it('three wrong codes: goodbye, then hang up', () => {
    const d = new Driver();
    d.toCodeStage();
    for (let attempt = 1; attempt <= 2; attempt++) {
      d.keys('1111#');
      expect(plays(d.verdict({ kind: 'wrong-code' }))).toEqual([
        { prompts: ['wrong-code', 'enter-code'], bargeIn: true },
      ]);
      d.finish();
    }
    d.keys('1111#');
    expect(plays(d.verdict({ kind: 'wrong-code' }))).toEqual([{ prompts: ['wrong-code', 'goodbye'], bargeIn: false }]);
    // The goodbye is not interrupted by keys.
    expect(d.keys('8688#')).toEqual([]);
    expect(d.finish()).toEqual([{ type: 'hang-up', reason: 'attempts-exhausted' }]);
  });

  it('unknown number, then a known one', () => {
    const d = new Driver();
    d.start();
    d.finish();
    d.keys('9999#');
    expect(plays(d.lookup({ kind: 'unknown' }))).toEqual([
      { prompts: ['unknown-number', 'enter-number'], bargeIn: true },
    ]);
    d.finish();
    expect(d.keys('5387#')).toContainEqual({ type: 'lookup', number: '5387' });
    expect(plays(d.lookup(known))).toEqual([{ prompts: ['enter-code'], bargeIn: true }]);
  });

  it('a number of the wrong length is refused without a lookup, counting an attempt', () => {
    const d = new Driver();
    d.start();
    d.finish();
    const actions = d.keys('538#');
    expect(actions.some((a) => a.type === 'lookup')).toBe(false);
    expect(plays(actions)).toEqual([{ prompts: ['unknown-number', 'enter-number'], bargeIn: true }]);
    d.finish();
    d.keys('53870#');
    d.finish();
    expect(plays(d.keys('1#'))).toEqual([{ prompts: ['unknown-number', 'goodbye'], bargeIn: false }]);
  });

  it('an unknown verdict at admission (booking gone since the lookup) asks for the number again', () => {
    const d = new Driver();
    d.toCodeStage();
    d.keys('8688#');
    expect(plays(d.verdict({ kind: 'unknown' }))).toEqual([
      { prompts: ['unknown-number', 'enter-number'], bargeIn: true },
    ]);
    d.finish();
    expect(d.keys('4242#')).toContainEqual({ type: 'lookup', number: '4242' });
  });

  it('* clears the entry and asks again', () => {
    const d = new Driver();
    d.start();
    d.finish();
    d.keys('53');
    expect(d.keys('*')).toEqual([
      { type: 'stop-timer' },
      { type: 'play', playId: 2, prompts: ['enter-number'], clips: ['enter-number'], language: 'en', bargeIn: true },
    ]);
    expect(d.keys('5387#')).toEqual([
      { type: 'stop-playback' },
      { type: 'start-timer', timer: 'inter-digit', ms: 5000 },
      ...Array(3).fill({ type: 'start-timer', timer: 'inter-digit', ms: 5000 }),
      { type: 'stop-timer' },
      { type: 'lookup', number: '5387' },
    ]);
  });

  it('* in the code stage clears the code, not the number', () => {
    const d = new Driver();
    d.toCodeStage();
    d.keys('12*');
    d.finish();
    expect(d.keys('8688#')).toContainEqual({ type: 'admit', number: '5387', code: '8688', via: 'ivr' });
  });

  it('# on an empty entry is ignored, during a prompt and after it', () => {
    const d = new Driver();
    d.start();
    expect(d.keys('#')).toEqual([]);
    expect(d.playing?.prompts).toEqual(['welcome', 'enter-number']);
    expect(d.finish()).toEqual([{ type: 'start-timer', timer: 'first-digit', ms: 10000 }]);
    expect(d.keys('##')).toEqual([]);
    expect(d.keys('5387#')).toContainEqual({ type: 'lookup', number: '5387' });
  });

  it('ignores keys that are not on a phone keypad (A–D, garbage)', () => {
    const d = new Driver();
    d.start();
    d.finish();
    expect(d.keys('ABCDx')).toEqual([]);
    expect(d.send({ type: 'digit', digit: '55' })).toEqual([]);
    expect(d.keys('5387#')).toContainEqual({ type: 'lookup', number: '5387' });
  });

  it('first-digit timeouts count attempts, then goodbye', () => {
    const d = new Driver();
    d.start();
    d.finish();
    expect(plays(d.send({ type: 'timeout', timer: 'first-digit' }))).toEqual([
      { prompts: ['no-input', 'enter-number'], bargeIn: true },
    ]);
    expect(d.finish()).toEqual([{ type: 'start-timer', timer: 'first-digit', ms: 10000 }]);
    d.send({ type: 'timeout', timer: 'first-digit' });
    d.finish();
    expect(plays(d.send({ type: 'timeout', timer: 'first-digit' }))).toEqual([
      { prompts: ['no-input', 'goodbye'], bargeIn: false },
    ]);
    expect(d.finish()).toEqual([{ type: 'hang-up', reason: 'attempts-exhausted' }]);
  });

  it('inter-digit timeouts count attempts too, and discard the partial entry', () => {
    const d = new Driver();
    d.start();
    d.finish();
    d.keys('53');
    expect(plays(d.send({ type: 'timeout', timer: 'inter-digit' }))).toEqual([
      { prompts: ['incomplete', 'enter-number'], bargeIn: true },
    ]);
    d.finish();
    d.keys('87');
    d.send({ type: 'timeout', timer: 'inter-digit' });
    d.finish();
    // Only the digits keyed after the timeouts make the entry.
    expect(d.keys('5387#')).toContainEqual({ type: 'lookup', number: '5387' });
  });

  it('counts failures per stage: timeouts and wrong entries mix, the number stage does not eat the code stage', () => {
    const d = new Driver();
    d.start();
    d.finish();
    d.send({ type: 'timeout', timer: 'first-digit' });
    d.finish();
    d.keys('12#'); // wrong length
    d.finish();
    d.keys('5387#');
    d.lookup(known);
    d.finish();
    d.send({ type: 'timeout', timer: 'first-digit' });
    d.finish();
    d.keys('1');
    expect(plays(d.send({ type: 'timeout', timer: 'inter-digit' }))).toEqual([
      { prompts: ['incomplete', 'enter-code'], bargeIn: true },
    ]);
    d.finish();
    d.keys('1111#');
    expect(plays(d.verdict({ kind: 'wrong-code' }))).toEqual([{ prompts: ['wrong-code', 'goodbye'], bargeIn: false }]);
  });

  it('takes its timeouts and attempt limit from the settings', () => {
    const d = new Driver(undefined, { firstDigitTimeoutMs: 2000, interDigitTimeoutMs: 1500, maxAttempts: 1 });
    d.start();
    expect(d.finish()).toEqual([{ type: 'start-timer', timer: 'first-digit', ms: 2000 }]);
    expect(d.keys('5')).toEqual([{ type: 'start-timer', timer: 'inter-digit', ms: 1500 }]);
    expect(plays(d.send({ type: 'timeout', timer: 'inter-digit' }))).toEqual([
      { prompts: ['incomplete', 'goodbye'], bargeIn: false },
    ]);
  });

  it('a timeout that is not the running timer is ignored', () => {
    const d = new Driver();
    d.start();
    expect(d.send({ type: 'timeout', timer: 'first-digit' })).toEqual([]); // still prompting: no timer yet
    d.finish();
    expect(d.send({ type: 'timeout', timer: 'inter-digit' })).toEqual([]);
    d.keys('5');
    expect(d.send({ type: 'timeout', timer: 'first-digit' })).toEqual([]);
  });

  it('barge-in: a key during a prompt stops it, and its late end starts no timer', () => {
    const d = new Driver();
    const [welcome] = d.start() as [Play];
    expect(d.keys('5')).toEqual([{ type: 'stop-playback' }, { type: 'start-timer', timer: 'inter-digit', ms: 5000 }]);
    expect(d.send({ type: 'prompt-finished', playId: welcome.playId })).toEqual([]);
    expect(d.keys('387#')).toContainEqual({ type: 'lookup', number: '5387' });
  });

  it('barge-in on a retry prompt', () => {
    const d = new Driver();
    d.toCodeStage();
    d.keys('1111#');
    d.verdict({ kind: 'wrong-code' });
    expect(d.keys('8')).toEqual([{ type: 'stop-playback' }, { type: 'start-timer', timer: 'inter-digit', ms: 5000 }]);
  });

  const endings: [string, AdmissionVerdict, unknown[]][] = [
    ['ended', { kind: 'ended' }, ['ended', 'goodbye']],
    ['full', { kind: 'full' }, ['full', 'goodbye']],
    ['locked', { kind: 'locked' }, ['locked', 'goodbye']],
    ['too-many-attempts', { kind: 'too-many-attempts' }, ['too-many-attempts', 'goodbye']],
    ['unavailable', { kind: 'unavailable' }, ['unavailable', 'goodbye']],
    [
      'not-open',
      { kind: 'not-open', start: { hour: 10, minute: 0, today: true } },
      [{ kind: 'not-open', start: { hour: 10, minute: 0, today: true } }, 'goodbye'],
    ],
  ];
  it.each(endings)('%s at admission is said, then the call hung up with that reason', (reason, verdict, prompts) => {
    const d = new Driver();
    d.toCodeStage();
    d.keys('8688#');
    expect(plays(d.verdict(verdict))).toEqual([{ prompts, bargeIn: false }]);
    expect(d.keys('5')).toEqual([]);
    expect(d.finish()).toEqual([{ type: 'hang-up', reason }]);
  });

  it.each(['too-many-attempts', 'unavailable'] as const)('%s at the number lookup ends the call', (kind) => {
    const d = new Driver();
    d.start();
    d.finish();
    d.keys('5387#');
    expect(plays(d.lookup({ kind }))).toEqual([{ prompts: [kind, 'goodbye'], bargeIn: false }]);
    expect(d.finish()).toEqual([{ type: 'hang-up', reason: kind }]);
  });

  it("speaks the booking's language once the number is known, times included", () => {
    const d = new Driver();
    d.start();
    expect(d.playing?.language).toBe('en');
    d.finish();
    d.keys('5387#');
    d.lookup({ kind: 'known', language: 'fr' });
    d.finish();
    d.keys('8688#');
    const [play] = d.verdict({ kind: 'not-open', start: { hour: 14, minute: 30, today: true }, language: 'fr' }) as [
      Play,
    ];
    expect(play.language).toBe('fr');
    expect(play.clips).toEqual(['not-open', 'starts-at', 'number-14', 'heures', 'number-30', 'goodbye']);
  });

  it('a verdict language overrides the lookup language', () => {
    const d = new Driver(undefined, { language: 'fr' });
    d.toCodeStage();
    d.keys('8688#');
    const [play] = d.verdict({ kind: 'ended', language: 'fr' }) as [Play];
    expect(play.language).toBe('fr');
  });

  describe('direct dial (no IVR)', () => {
    it('asks admission at once and connects without a prompt', () => {
      const d = new Driver({ kind: 'direct', number: '5387', code: '8688' });
      expect(d.start()).toEqual([{ type: 'admit', number: '5387', code: '8688', via: 'direct-dial' }]);
      expect(d.keys('1#')).toEqual([]);
      expect(d.verdict({ kind: 'admitted', participant })).toEqual([{ type: 'connect', number: '5387', participant }]);
    });

    it.each(['unknown', 'wrong-code', 'ended', 'full', 'locked', 'too-many-attempts', 'unavailable'] as const)(
      '%s hangs up without a prompt or a retry',
      (kind) => {
        const d = new Driver({ kind: 'direct', number: '5387', code: '8688' });
        d.start();
        expect(d.verdict({ kind } as AdmissionVerdict)).toEqual([{ type: 'hang-up', reason: kind }]);
        expect(d.machine.phase).toBe('done');
      },
    );
  });

  describe('code only (number in the Request-URI)', () => {
    it('looks the number up, welcomes in its language and asks the code only', () => {
      const d = new Driver({ kind: 'code-only', number: '5387' });
      expect(d.start()).toEqual([{ type: 'lookup', number: '5387' }]);
      const [play] = d.lookup({ kind: 'known', language: 'fr' }) as [Play];
      expect(play).toMatchObject({ prompts: ['welcome', 'enter-code'], language: 'fr', bargeIn: true });
      d.finish();
      expect(d.keys('8688#')).toContainEqual({ type: 'admit', number: '5387', code: '8688', via: 'ivr' });
    });

    it('an unknown dialled number falls back to asking the number, without counting a failure', () => {
      const d = new Driver({ kind: 'code-only', number: '9999' });
      d.start();
      expect(plays(d.lookup({ kind: 'unknown' }))).toEqual([
        { prompts: ['welcome', 'unknown-number', 'enter-number'], bargeIn: true },
      ]);
      d.finish();
      // Three keyed failures are still allowed.
      d.keys('1111#');
      expect(plays(d.lookup({ kind: 'unknown' }))).toEqual([
        { prompts: ['unknown-number', 'enter-number'], bargeIn: true },
      ]);
      d.finish();
      d.keys('2222#');
      d.lookup({ kind: 'unknown' });
      d.finish();
      d.keys('3333#');
      expect(plays(d.lookup({ kind: 'unknown' }))).toEqual([
        { prompts: ['unknown-number', 'goodbye'], bargeIn: false },
      ]);
    });
  });

  it('a digit flood is bounded: the entry keeps at most maxDigits digits', () => {
    const d = new Driver();
    d.toCodeStage();
    d.keys('7'.repeat(100000));
    const admit = d.keys('#').find((a) => a.type === 'admit');
    expect(admit).toEqual({ type: 'admit', number: '5387', code: '7'.repeat(20), via: 'ivr' });
  });

  it('a caller hanging up stops prompt and timer; nothing happens afterwards', () => {
    const d = new Driver();
    d.start();
    expect(d.send({ type: 'caller-hung-up' })).toEqual([{ type: 'stop-playback' }]);
    const e = new Driver();
    e.start();
    e.finish();
    e.keys('53');
    expect(e.send({ type: 'caller-hung-up' })).toEqual([{ type: 'stop-timer' }]);
    expect(e.keys('87#')).toEqual([]);
    expect(e.send({ type: 'caller-hung-up' })).toEqual([]);
    const f = new Driver();
    f.toCodeStage();
    f.keys('8688#');
    f.send({ type: 'caller-hung-up' });
    expect(f.verdict({ kind: 'admitted', participant })).toEqual([]);
  });

  it('keys pressed during the number lookup are the code typed ahead: they barge in on its question', () => {
    const d = new Driver();
    d.toLookup();
    expect(d.keys('8688#')).toEqual([]);
    expect(d.lookup(known)).toEqual([
      { type: 'play', playId: 2, prompts: ['enter-code'], clips: ['enter-code'], language: 'en', bargeIn: true },
      { type: 'stop-playback' },
      { type: 'admit', number: '5387', code: '8688', via: 'ivr' },
    ]);
    expect(d.machine.phase).toBe('admitting');
  });

  it('a code partly typed ahead goes on from the keys held, with the inter-digit timer', () => {
    const d = new Driver();
    d.toLookup();
    d.keys('86');
    expect(d.lookup(known).slice(1)).toEqual([
      { type: 'stop-playback' },
      { type: 'start-timer', timer: 'inter-digit', ms: 5000 },
    ]);
    expect(d.keys('88#')).toContainEqual({ type: 'admit', number: '5387', code: '8688', via: 'ivr' });
  });

  it('the code typed ahead of a code-only dial is taken once the number is known', () => {
    const d = new Driver({ kind: 'code-only', number: '5387' });
    d.start();
    d.keys('8688#');
    expect(d.lookup(known)).toContainEqual({ type: 'admit', number: '5387', code: '8688', via: 'ivr' });
  });

  it('keys typed ahead of an unknown number are dropped: the caller hears why, then keys again', () => {
    const d = new Driver();
    d.toLookup();
    d.keys('8688#');
    // Not interrupted by what was typed ahead: the prompt plays, and the number keyed over it is new.
    expect(d.lookup({ kind: 'unknown' })).toEqual([
      expect.objectContaining({ type: 'play', prompts: ['unknown-number', 'enter-number'] }),
    ]);
    expect(d.keys('5387#')).toContainEqual({ type: 'lookup', number: '5387' });
  });

  it('a lone # typed ahead does not cut the code question short', () => {
    const d = new Driver();
    d.toLookup();
    d.keys('#');
    expect(plays(d.lookup(known))).toEqual([{ prompts: ['enter-code'], bargeIn: true }]);
    expect(d.finish()).toEqual([{ type: 'start-timer', timer: 'first-digit', ms: 10000 }]);
  });

  it('ignores events that do not apply: keys before start, verdicts nobody asked for, a second start', () => {
    const d = new Driver();
    expect(d.keys('5387#')).toEqual([]);
    expect(d.verdict({ kind: 'admitted', participant })).toEqual([]);
    expect(d.lookup(known)).toEqual([]);
    d.start();
    expect(d.start()).toEqual([]);
    expect(d.send({ type: 'prompt-finished', playId: 99 })).toEqual([]);
  });

  it('never throws, never acts after its final action, and keeps at most one timer per action list', () => {
    const event = fc.oneof(
      fc.constantFrom<IvrEvent>(
        { type: 'start' },
        { type: 'timeout', timer: 'first-digit' },
        { type: 'timeout', timer: 'inter-digit' },
        { type: 'caller-hung-up' },
        { type: 'number-verdict', verdict: known },
        { type: 'number-verdict', verdict: { kind: 'unknown' } },
        { type: 'admission-verdict', verdict: { kind: 'wrong-code' } },
        { type: 'admission-verdict', verdict: { kind: 'unknown' } },
        { type: 'admission-verdict', verdict: { kind: 'admitted', participant } },
        { type: 'admission-verdict', verdict: { kind: 'full' } },
      ),
      fc.constantFrom('0', '5', '9', '*', '#', 'A', '').map((digit): IvrEvent => ({ type: 'digit', digit })),
      fc.nat(12).map((playId): IvrEvent => ({ type: 'prompt-finished', playId })),
    );
    fc.assert(
      fc.property(
        fc.constantFrom<DialTarget>(
          { kind: 'ivr' },
          { kind: 'code-only', number: '5387' },
          { kind: 'direct', number: '5387', code: '8688' },
        ),
        fc.array(event, { maxLength: 80 }),
        (target, events) => {
          const machine = new IvrMachine(target, settings);
          let ended = false;
          for (const e of events) {
            const actions = machine.handle(e);
            if (ended && actions.length > 0) return false;
            if (actions.some((a) => a.type === 'connect' || a.type === 'hang-up')) ended = true;
            if (machine.phase === 'done') ended = true;
            if (actions.filter((a) => a.type === 'start-timer').length > 1) return false;
          }
          return true;
        },
      ),
      { numRuns: 2000 },
    );
  });
});
