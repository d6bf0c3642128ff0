import { join } from 'node:path';
import type { Language } from '../../src/booking/booking';
import { createLogger } from '../../src/log/logger';
import type { Admission, AdmissionVerdict, CallerSource } from '../../src/admission/admission-port';
import type { DialTarget } from '../../src/ivr/dial-target';
import { configSchema } from '../../src/config/config-schema';
import { ivrSettings } from '../../src/ivr/ivr-settings';
import { DigitStream } from '../../src/ivr/digit-stream';
import { IvrSession, PLAYBACK_GRACE_MS, type IvrSessionOptions, type PromptPlayer } from '../../src/ivr/ivr-session';
import { PromptLibrary, type PromptClip } from '../../src/ivr/prompt-library';
import { InMemoryAdmission } from './support/in-memory-admission';

const prompts = PromptLibrary.load(join(__dirname, '..', '..', 'prompts'));
/** The defaults: 10 s first digit, 5 s between digits, 3 attempts, 20 digits, 4-digit numbers, English. */
const settings = ivrSettings(configSchema.parse({}));
const source: CallerSource = { address: '127.0.0.1', callId: 'call-1@127.0.0.1' };
const log = createLogger('silent');

/** Plays a clip list in real (here: fake) time, as the RTP pacer would: its duration, unless stopped. */
class TimedPlayer implements PromptPlayer {
  readonly played: { clips: string[]; language: string; bargeIn: boolean; stopped: boolean }[] = [];
  private current: { timer: NodeJS.Timeout; resolve: (r: 'finished' | 'stopped') => void; index: number } | undefined;

  play(clips: readonly PromptClip[], options: { bargeIn: boolean }): Promise<'finished' | 'stopped'> {
    this.stop();
    const index =
      this.played.push({
        clips: clips.map((c) => c.id),
        language: clips[0]!.language,
        bargeIn: options.bargeIn,
        stopped: false,
      }) - 1;
    const ms = clips.reduce((sum, clip) => sum + clip.durationMs, 0);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.current = undefined;
        resolve('finished');
      }, ms);
      this.current = { timer, resolve, index };
    });
  }

  stop(): void {
    if (!this.current) return;
    clearTimeout(this.current.timer);
    this.played[this.current.index]!.stopped = true;
    this.current.resolve('stopped');
    this.current = undefined;
  }

  get isPlaying(): boolean {
    return this.current !== undefined;
  }
}

/** The caller's keypad, pressing keys into the call's digit stream. */
class Keypad extends DigitStream {
  /** Presses `keys` one every `gapMs`, as a person (or SIPp) would. */
  async type(keys: string, gapMs = 250): Promise<void> {
    for (const key of keys) {
      this.push(key);
      await jest.advanceTimersByTimeAsync(gapMs);
    }
  }
}

/** A session on `player` with a keypad, for the IVR (default) or another dial target. */
function sessionOn(
  player: PromptPlayer,
  target: DialTarget = { kind: 'ivr' },
  admission: Admission = new InMemoryAdmission({}),
  onAdmitted?: IvrSessionOptions['onAdmitted'],
) {
  const keypad = new Keypad();
  const session = new IvrSession({
    target,
    settings,
    admissionTimeoutMs: 3000,
    source,
    admission,
    prompts,
    player,
    digits: keypad,
    log,
    onAdmitted,
  });
  return { session, keypad };
}

function call(
  target: DialTarget = { kind: 'ivr' },
  admission: Admission = new InMemoryAdmission({ '5387': { code: '8688', language: 'fr' } }),
) {
  const player = new TimedPlayer();
  return { ...sessionOn(player, target, admission), player, admission };
}

/** Lets the prompt playing now run to its end. */
async function hearPrompt(player: TimedPlayer): Promise<void> {
  const last = player.played.at(-1)!;
  await jest.advanceTimersByTimeAsync(
    last.clips.reduce((sum, id) => sum + prompts.get(last.language as Language, id as never).durationMs, 0),
  );
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('IvrSession', () => {
  /** A caller with an onAdmitted hook who keys 5387# then `code`, each after its prompt; returns once the admission answered. */
  async function keyedWithHandOver(code: string) {
    const player = new TimedPlayer();
    const handedOver: unknown[] = [];
    const { session, keypad } = sessionOn(
      player,
      { kind: 'ivr' },
      new InMemoryAdmission({ '5387': { code: '8688', language: 'en' } }),
      (a) => handedOver.push(a),
    );
    let settled = false;
    void session.outcome.then(() => (settled = true));
    session.start();
    await hearPrompt(player);
    await keypad.type('5387#');
    await hearPrompt(player);
    await keypad.type(`${code}#`);
    await jest.advanceTimersByTimeAsync(0);
    return { session, player, handedOver, settled: () => settled };
  }

  it('hands an admitted caller over at the verdict, while "you are being connected" plays; the outcome follows at the prompt end', async () => {
    const { session, player, handedOver, settled } = await keyedWithHandOver('8688');
    expect(handedOver).toEqual([
      { number: '5387', participant: { participantId: 'p-1', bookingId: 'b-5387' }, language: 'en' },
    ]);
    expect(player.played.at(-1)).toMatchObject({ clips: ['connecting'], stopped: false });
    expect(settled()).toBe(false);
    await hearPrompt(player);
    await expect(session.outcome).resolves.toMatchObject({ kind: 'connect', number: '5387' });
  });

  it('a refused caller is never handed over', async () => {
    const { session, handedOver } = await keyedWithHandOver('1111');
    expect(handedOver).toEqual([]);
    session.callerHungUp();
    await expect(session.outcome).resolves.toEqual({ kind: 'caller-hung-up' });
  });

  it('collects exactly 5387 then 8688 and connects, in the booking language', async () => {
    const admission = new InMemoryAdmission({ '5387': { code: '8688', language: 'fr' } });
    const { session, player, keypad } = call({ kind: 'ivr' }, admission);
    session.start();
    await hearPrompt(player);
    await keypad.type('5387#');
    expect(player.played.at(-1)).toEqual({ clips: ['enter-code'], language: 'fr', bargeIn: true, stopped: false });
    await hearPrompt(player);
    await keypad.type('8688#');
    expect(player.played.at(-1)).toMatchObject({ clips: ['connecting'], language: 'fr', bargeIn: false });
    await hearPrompt(player);
    await expect(session.outcome).resolves.toEqual({
      kind: 'connect',
      number: '5387',
      participant: { participantId: 'p-1', bookingId: 'b-5387' },
      language: 'fr',
    });
    expect(admission.entries()).toEqual(['5387', '5387/8688']);
    expect(admission.requests[0]).toEqual({ number: '5387', code: '8688', via: 'ivr', source });
    expect(jest.getTimerCount()).toBe(0);
    expect(keypad.listenerCount).toBe(0);
  });

  it("keys pushed before the session listened (a Setup's Keypad IE) are held for it: 5387 dialled, code keyed at once", async () => {
    const admission = new InMemoryAdmission({ '5387': { code: '8688', language: 'en' } });
    const { session, player, keypad } = call({ kind: 'code-only', number: '5387' }, admission);
    for (const key of '8688#') keypad.push(key);
    session.start();
    await jest.advanceTimersByTimeAsync(0);
    expect(admission.requests[0]).toEqual({ number: '5387', code: '8688', via: 'ivr', source });
    await hearPrompt(player);
    await expect(session.outcome).resolves.toMatchObject({ kind: 'connect', number: '5387' });
  });

  it('with barge-in, a leading #, a * correction and a wrong code on the way, still collects 5387 then 8688', async () => {
    const admission = new InMemoryAdmission({ '5387': { code: '8688', language: 'en' } });
    const { session, player, keypad } = call({ kind: 'ivr' }, admission);
    session.start();
    await keypad.type('#'); // a room system opening its keypad: ignored, the welcome goes on
    expect(player.isPlaying).toBe(true);
    await keypad.type('59*'); // barge-in, then cleared
    expect(player.played[0]!.stopped).toBe(true);
    await keypad.type('5387#');
    await keypad.type('1234#'); // barge-in over "enter the access code"
    expect(player.played.at(-1)).toMatchObject({ clips: ['wrong-code', 'enter-code'] });
    await keypad.type('8688#');
    await hearPrompt(player);
    await expect(session.outcome).resolves.toMatchObject({ kind: 'connect', number: '5387' });
    expect(admission.entries()).toEqual(['5387', '5387/1234', '5387/8688']);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('a caller who never keys a digit is hung up after the timeouts and attempts', async () => {
    const { session, player, admission } = call();
    session.start();
    for (let i = 0; i < 3; i++) {
      await hearPrompt(player);
      await jest.advanceTimersByTimeAsync(settings.firstDigitTimeoutMs);
    }
    expect(player.played.map((p) => p.clips)).toEqual([
      ['welcome', 'enter-number'],
      ['no-input', 'enter-number'],
      ['no-input', 'enter-number'],
      ['no-input', 'goodbye'],
    ]);
    await hearPrompt(player);
    await expect(session.outcome).resolves.toEqual({ kind: 'hang-up', reason: 'attempts-exhausted' });
    expect((admission as InMemoryAdmission).entries()).toEqual([]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('an admission that does not answer in time is unavailable; the call ends', async () => {
    const silent: Admission = {
      lookup: () => new Promise(() => {}),
      admit: () => new Promise(() => {}),
      noEntry: async () => {},
    };
    const { session, player, keypad } = call({ kind: 'ivr' }, silent);
    session.start();
    await keypad.type('5387#');
    await jest.advanceTimersByTimeAsync(3000);
    expect(player.played.at(-1)).toMatchObject({ clips: ['unavailable', 'goodbye'], bargeIn: false });
    await hearPrompt(player);
    await expect(session.outcome).resolves.toEqual({ kind: 'hang-up', reason: 'unavailable' });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('an admission that fails is unavailable too, and a late answer is ignored', async () => {
    let answerLate: (v: AdmissionVerdict) => void = () => {};
    const failing: Admission = {
      lookup: async () => ({ kind: 'known', language: 'en' }),
      admit: () => new Promise((resolve) => (answerLate = resolve)),
      noEntry: async () => {},
    };
    const { session, player, keypad } = call({ kind: 'code-only', number: '5387' }, failing);
    session.start();
    await jest.advanceTimersByTimeAsync(0);
    expect(player.played[0]).toMatchObject({ clips: ['welcome', 'enter-code'], language: 'en' });
    await keypad.type('8688#');
    await jest.advanceTimersByTimeAsync(3000);
    answerLate({ kind: 'admitted', participant: { participantId: 'late', bookingId: 'b' } });
    await hearPrompt(player);
    await expect(session.outcome).resolves.toEqual({ kind: 'hang-up', reason: 'unavailable' });

    const throwing: Admission = {
      lookup: async () => Promise.reject(new Error('redis down')),
      admit: async () => ({ kind: 'unavailable' }),
      noEntry: async () => {},
    };
    const second = call({ kind: 'ivr' }, throwing);
    second.session.start();
    await second.keypad.type('5387#');
    expect(second.player.played.at(-1)).toMatchObject({ clips: ['unavailable', 'goodbye'] });
  });

  it('a direct dial is admitted without any prompt', async () => {
    const { session, player, admission } = call({ kind: 'direct', number: '5387', code: '8688' });
    session.start();
    await expect(session.outcome).resolves.toMatchObject({ kind: 'connect', number: '5387' });
    expect(player.played).toEqual([]);
    expect((admission as InMemoryAdmission).requests).toEqual([
      { number: '5387', code: '8688', via: 'direct-dial', source },
    ]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('a caller hanging up mid-prompt stops the prompt and leaves nothing behind', async () => {
    const { session, player, keypad } = call();
    session.start();
    await keypad.type('53');
    session.callerHungUp();
    await expect(session.outcome).resolves.toEqual({ kind: 'caller-hung-up' });
    await keypad.type('87#');
    expect(jest.getTimerCount()).toBe(0);
    expect(keypad.listenerCount).toBe(0);
    expect(player.isPlaying).toBe(false);
  });

  it('a media failure does not leave the caller in silence', async () => {
    const player: PromptPlayer = { play: async () => Promise.reject(new Error('socket closed')), stop: () => {} };
    const { session } = sessionOn(player);
    session.start();
    await jest.advanceTimersByTimeAsync(0);
    // The failed welcome counts as heard: the first-digit timer runs.
    expect(jest.getTimerCount()).toBe(1);
    session.callerHungUp();
  });

  it('a player that never reports the end of a prompt does not leave the call hanging', async () => {
    const player: PromptPlayer = { play: () => new Promise(() => {}), stop: () => {} };
    const { session } = sessionOn(player);
    session.start();
    const welcome = prompts.get('en', 'welcome').durationMs + prompts.get('en', 'enter-number').durationMs;
    await jest.advanceTimersByTimeAsync(welcome + PLAYBACK_GRACE_MS - 1);
    expect(jest.getTimerCount()).toBe(1); // still the watchdog
    await jest.advanceTimersByTimeAsync(1);
    expect(jest.getTimerCount()).toBe(1); // now the first-digit timer
    await jest.advanceTimersByTimeAsync(300000);
    await expect(session.outcome).resolves.toEqual({ kind: 'hang-up', reason: 'attempts-exhausted' });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('an attacked conference: the code is checked only after the hold, in silence; a right code then gets in', async () => {
    const admission = new InMemoryAdmission({ '5387': { code: '8688', language: 'en' } });
    admission.holdMs = 5000;
    const { session, player, keypad } = call({ kind: 'ivr' }, admission);
    session.start();
    await hearPrompt(player);
    await keypad.type('5387#');
    await hearPrompt(player);
    await keypad.type('8688#', 0);
    const played = player.played.length;
    await jest.advanceTimersByTimeAsync(4999);
    expect(admission.requests.map((r) => r.held)).toEqual([undefined]);
    expect(player.played).toHaveLength(played); // nothing said while holding
    await jest.advanceTimersByTimeAsync(1);
    expect(admission.requests.map((r) => r.held)).toEqual([undefined, true]);
    expect(player.played.at(-1)).toMatchObject({ clips: ['connecting'] });
    await hearPrompt(player);
    await expect(session.outcome).resolves.toMatchObject({ kind: 'connect', number: '5387' });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('a caller who hangs up during the hold has had no code checked, and leaves no timer', async () => {
    const admission = new InMemoryAdmission({ '5387': { code: '8688', language: 'en' } });
    admission.holdMs = 20_000;
    const { session, keypad } = call({ kind: 'ivr' }, admission);
    session.start();
    await keypad.type('5387#8688#', 0);
    await jest.advanceTimersByTimeAsync(1000);
    session.callerHungUp();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(admission.requests.map((r) => r.held)).toEqual([undefined]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('a conf@ call that ends without a single key counts once against its source; one with a key, or a 5387@ call, does not', async () => {
    const silentHangUp = call();
    silentHangUp.session.start();
    await jest.advanceTimersByTimeAsync(2000);
    silentHangUp.session.callerHungUp();
    await silentHangUp.session.outcome;
    expect((silentHangUp.admission as InMemoryAdmission).noEntries).toEqual([source]);

    const timedOut = call();
    timedOut.session.start();
    await jest.advanceTimersByTimeAsync(300_000);
    await expect(timedOut.session.outcome).resolves.toEqual({ kind: 'hang-up', reason: 'attempts-exhausted' });
    expect((timedOut.admission as InMemoryAdmission).noEntries).toEqual([source]);

    const keyed = call();
    keyed.session.start();
    await keyed.keypad.type('#');
    keyed.session.callerHungUp();
    const codeOnly = call({ kind: 'code-only', number: '5387' });
    codeOnly.session.start();
    await jest.advanceTimersByTimeAsync(300_000);
    await codeOnly.session.outcome;
    expect((keyed.admission as InMemoryAdmission).noEntries).toEqual([]);
    expect((codeOnly.admission as InMemoryAdmission).noEntries).toEqual([]);
  });

  it('100 calls in a row leak no timer and no digit listener', async () => {
    const admission = new InMemoryAdmission({ '5387': { code: '8688', language: 'en' } });
    const keypads: Keypad[] = [];
    for (let i = 0; i < 100; i++) {
      const { session, player, keypad } = call({ kind: 'ivr' }, admission);
      keypads.push(keypad);
      session.start();
      if (i % 3 === 0) {
        await keypad.type('5387#8688#', 50);
        await hearPrompt(player);
      } else if (i % 3 === 1) {
        await keypad.type('538');
        session.callerHungUp();
      } else {
        await jest.advanceTimersByTimeAsync(120000);
      }
      await session.outcome;
      expect(jest.getTimerCount()).toBe(0);
    }
    expect(keypads.every((k) => k.listenerCount === 0)).toBe(true);
    expect(admission.requests).toHaveLength(34);
  });
});
