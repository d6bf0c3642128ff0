import type { Language } from '../booking/booking';

/** The languages prompts are recorded in; the same as a booking's language. */
export const PROMPT_LANGUAGES: readonly Language[] = ['en', 'fr'];

/** Sentences and words, with their text in each language. */
const PHRASES = {
  welcome: { en: 'Welcome to the conference service.', fr: 'Bienvenue sur le service de conférence.' },
  'enter-number': {
    en: 'Please enter the conference number, followed by the pound key.',
    fr: 'Veuillez composer le numéro de la conférence, suivi de la touche dièse.',
  },
  'enter-code': {
    en: 'Please enter the access code, followed by the pound key.',
    fr: "Veuillez composer le code d'accès, suivi de la touche dièse.",
  },
  'no-input': { en: 'Sorry, no entry was received.', fr: "Désolé, aucune saisie n'a été reçue." },
  incomplete: {
    en: 'Sorry, your entry was not completed in time.',
    fr: "Désolé, votre saisie n'a pas été terminée à temps.",
  },
  'unknown-number': { en: 'This conference number is not valid.', fr: "Ce numéro de conférence n'est pas valide." },
  'wrong-code': { en: 'This access code is not correct.', fr: "Ce code d'accès n'est pas correct." },
  'not-open': { en: 'This conference has not started yet.', fr: "Cette conférence n'a pas encore commencé." },
  'starts-at': { en: 'It starts at', fr: 'Elle commence à' },
  'not-today': { en: 'It does not take place today.', fr: "Elle n'a pas lieu aujourd'hui." },
  ended: { en: 'This conference has ended.', fr: 'Cette conférence est terminée.' },
  full: { en: 'This conference is full.', fr: 'Cette conférence est complète.' },
  locked: { en: 'This conference is locked.', fr: 'Cette conférence est verrouillée.' },
  'too-many-attempts': {
    en: 'Too many incorrect attempts. Please try again later.',
    fr: 'Trop de tentatives incorrectes. Veuillez réessayer plus tard.',
  },
  unavailable: {
    en: 'The service is temporarily unavailable. Please try again later.',
    fr: 'Le service est momentanément indisponible. Veuillez réessayer plus tard.',
  },
  connecting: { en: 'You are being connected to the conference.', fr: 'Vous allez être connecté à la conférence.' },
  goodbye: { en: 'Goodbye.', fr: 'Au revoir.' },
} as const satisfies Record<string, Record<Language, string>>;

/**
 * Words of spoken times, which differ by language: English reads the 12-hour clock
 * ("ten oh five a.m."), French the 24-hour clock ("dix heures cinq").
 */
const TIME_WORDS = {
  en: { oclock: "o'clock", oh: 'oh', am: 'a.m.', pm: 'p.m.' },
  fr: { heure: 'heure', heures: 'heures' },
} as const satisfies Record<Language, Record<string, string>>;

const EN_NUMBERS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const EN_TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty'];

/**
 * French numbers are recorded in the feminine ("une", "vingt et une") because they count
 * heures and minutes (both feminine), the only thing the IVR says with them.
 */
const FR_NUMBERS = [
  'zéro',
  'une',
  'deux',
  'trois',
  'quatre',
  'cinq',
  'six',
  'sept',
  'huit',
  'neuf',
  'dix',
  'onze',
  'douze',
  'treize',
  'quatorze',
  'quinze',
  'seize',
  'dix-sept',
  'dix-huit',
  'dix-neuf',
];
const FR_TENS = ['', '', 'vingt', 'trente', 'quarante', 'cinquante'];

function englishNumber(n: number): string {
  if (n < 20) return EN_NUMBERS[n]!;
  const unit = n % 10;
  return unit === 0 ? EN_TENS[Math.floor(n / 10)]! : `${EN_TENS[Math.floor(n / 10)]}-${EN_NUMBERS[unit]}`;
}

function frenchNumber(n: number): string {
  if (n < 20) return FR_NUMBERS[n]!;
  const unit = n % 10;
  const tens = FR_TENS[Math.floor(n / 10)]!;
  if (unit === 0) return tens;
  return unit === 1 ? `${tens} et une` : `${tens}-${FR_NUMBERS[unit]}`;
}

/** Highest number recorded as one word: enough for hours (0–23) and minutes (0–59). */
export const MAX_RECORDED_NUMBER = 59;

export type PhraseId = keyof typeof PHRASES;
export type TimeWordId = { [L in Language]: keyof (typeof TIME_WORDS)[L] }[Language];
/** A number recorded whole (`number-0` … `number-59`), so French liaisons such as "vingt-deux" sound right. */
export type NumberClipId = `number-${number}`;
/** One recorded clip. Phrases and numbers exist in every language, time words only in their own. */
export type ClipId = PhraseId | NumberClipId | TimeWordId;

/** The clip id of a whole number 0–59. */
export function numberClip(n: number): NumberClipId {
  if (!Number.isInteger(n) || n < 0 || n > MAX_RECORDED_NUMBER) throw new RangeError(`no recorded number ${n}`);
  return `number-${n}`;
}

/** Every clip of one language and its text: the input of `scripts/generate-prompts.ts`. */
export function promptCatalog(language: Language): ReadonlyMap<ClipId, string> {
  const catalog = new Map<ClipId, string>();
  for (const [id, texts] of Object.entries(PHRASES)) catalog.set(id as PhraseId, texts[language]);
  const spell = language === 'fr' ? frenchNumber : englishNumber;
  for (let n = 0; n <= MAX_RECORDED_NUMBER; n++) catalog.set(numberClip(n), spell(n));
  for (const [id, text] of Object.entries(TIME_WORDS[language])) catalog.set(id as TimeWordId, text);
  return catalog;
}
