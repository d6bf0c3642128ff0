import { assemblePrompts, spokenTime } from '../../src/ivr/prompt-assembler';
import { promptCatalog } from '../../src/ivr/prompt-catalog';

/** The words the clips say, to read assembled prompts as sentences. */
function say(clips: string[], language: 'en' | 'fr'): string {
  const catalog = promptCatalog(language);
  return clips.map((id) => catalog.get(id as never)).join(' ');
}

describe('spokenTime', () => {
  it.each([
    [10, 0, "ten o'clock a.m."],
    [10, 5, 'ten oh five a.m.'],
    [14, 30, 'two thirty p.m.'],
    [0, 0, "twelve o'clock a.m."],
    [12, 0, "twelve o'clock p.m."],
    [12, 45, 'twelve forty-five p.m.'],
    [23, 59, 'eleven fifty-nine p.m.'],
    [9, 10, 'nine ten a.m.'],
  ])('English %i:%i is "%s"', (hour, minute, text) => {
    expect(say(spokenTime(hour, minute, 'en'), 'en')).toBe(text);
  });

  it.each([
    [10, 0, 'dix heures'],
    [10, 5, 'dix heures cinq'],
    [14, 30, 'quatorze heures trente'],
    [0, 0, 'zéro heure'],
    [1, 0, 'une heure'],
    [1, 1, 'une heure une'],
    [21, 21, 'vingt et une heures vingt et une'],
    [17, 45, 'dix-sept heures quarante-cinq'],
  ])('French %i:%i is "%s"', (hour, minute, text) => {
    expect(say(spokenTime(hour, minute, 'fr'), 'fr')).toBe(text);
  });

  it('is exactly the clip ids for 10:00, as recorded', () => {
    expect(spokenTime(10, 0, 'en')).toEqual(['number-10', 'oclock', 'am']);
    expect(spokenTime(10, 0, 'fr')).toEqual(['number-10', 'heures']);
  });

  it.each([
    [24, 0],
    [-1, 0],
    [10, 60],
    [10.5, 0],
  ])('refuses %p:%p', (hour, minute) => {
    expect(() => spokenTime(hour, minute, 'en')).toThrow(RangeError);
  });
});

describe('assemblePrompts', () => {
  it('says a not-open conference with its start time today, in each language', () => {
    const prompt = { kind: 'not-open' as const, start: { hour: 10, minute: 0, today: true } };
    expect(say(assemblePrompts([prompt, 'goodbye'], 'en'), 'en')).toBe(
      "This conference has not started yet. It starts at ten o'clock a.m. Goodbye.",
    );
    expect(say(assemblePrompts([prompt, 'goodbye'], 'fr'), 'fr')).toBe(
      "Cette conférence n'a pas encore commencé. Elle commence à dix heures Au revoir.",
    );
  });

  it('says another day without a time', () => {
    const prompt = { kind: 'not-open' as const, start: { hour: 10, minute: 0, today: false } };
    expect(assemblePrompts([prompt], 'en')).toEqual(['not-open', 'not-today']);
  });

  it('keeps phrases in order', () => {
    expect(assemblePrompts(['welcome', 'enter-number'], 'fr')).toEqual(['welcome', 'enter-number']);
  });
});
