import type { Language } from '../booking/booking';
import type { LocalStart } from '../admission/admission-port';
import { numberClip, type ClipId, type PhraseId } from './prompt-catalog';

/** A message spoken as one recorded phrase. */
export type PhrasePrompt = Exclude<PhraseId, 'not-open' | 'starts-at' | 'not-today'>;

/** What the IVR wants said; the assembler turns it into clips of one language. */
export type Prompt = PhrasePrompt | { kind: 'not-open'; start: LocalStart };

/**
 * A wall-clock time as clips. English reads the 12-hour clock: 10:00 → "ten o'clock a.m.",
 * 10:05 → "ten oh five a.m.", 14:30 → "two thirty p.m.". French reads the 24-hour clock:
 * 10:00 → "dix heures", 10:05 → "dix heures cinq", 01:00 → "une heure".
 */
export function spokenTime(hour: number, minute: number, language: Language): ClipId[] {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new RangeError(`hour ${hour} is not 0–23`);
  if (!Number.isInteger(minute) || minute < 0 || minute > 59) throw new RangeError(`minute ${minute} is not 0–59`);
  if (language === 'fr') {
    const clips: ClipId[] = [numberClip(hour), hour <= 1 ? 'heure' : 'heures'];
    if (minute > 0) clips.push(numberClip(minute));
    return clips;
  }
  const clips: ClipId[] = [numberClip(hour % 12 === 0 ? 12 : hour % 12)];
  if (minute === 0) clips.push('oclock');
  else if (minute < 10) clips.push('oh', numberClip(minute));
  else clips.push(numberClip(minute));
  clips.push(hour < 12 ? 'am' : 'pm');
  return clips;
}

/** The clips of a list of prompts, in order, in `language`. */
export function assemblePrompts(prompts: readonly Prompt[], language: Language): ClipId[] {
  return prompts.flatMap((prompt): ClipId[] => {
    if (typeof prompt === 'string') return [prompt];
    // "This conference has not started yet. It starts at ten o'clock a.m." — or, another day, "It does not take place today."
    return prompt.start.today
      ? ['not-open', 'starts-at', ...spokenTime(prompt.start.hour, prompt.start.minute, language)]
      : ['not-open', 'not-today'];
  });
}
