import type { z } from 'zod';
import type { Language } from './booking';

/** One rule violation, as the API returns it in a 400 body. */
export interface FieldError {
  /** Dotted path of the input field (`title`, `recipients.3`). */
  field: string;
  code: FieldErrorCode;
  /** Human message in the request's language. */
  message: string;
}

export const fieldErrorCodes = [
  'required',
  'invalid_type',
  'too_short',
  'too_long',
  'invalid_characters',
  'not_integer',
  'out_of_range',
  'invalid_format',
  'invalid_time_zone',
  'nonexistent_time',
  'in_the_past',
  'too_far_ahead',
  'invalid_email',
  'too_many',
  'must_accept',
  'invalid_value',
  'unknown_field',
  'not_found',
  'invalid_json',
] as const;
export type FieldErrorCode = (typeof fieldErrorCodes)[number];

/** Values interpolated into messages, per top-level field (`{min}`, `{max}`, `{values}`, `{example}`). */
export type MessageParams = Record<string, Record<string, string | number>>;

const catalog: Record<Language, Record<FieldErrorCode, string>> = {
  en: {
    required: 'is required',
    invalid_type: 'has the wrong type',
    too_short: 'must not be empty',
    too_long: 'must be at most {max} characters',
    invalid_characters: 'may contain only letters, digits and spaces',
    not_integer: 'must be a whole number',
    out_of_range: 'must be between {min} and {max}',
    invalid_format: 'must look like {example}',
    invalid_time_zone: 'must be an IANA time zone such as Europe/Paris',
    nonexistent_time: 'does not exist in this time zone (the clocks change at that time)',
    in_the_past: 'must not be in the past',
    too_far_ahead: 'must be at most {max} months after today',
    invalid_email: 'must be a valid e-mail address',
    too_many: 'must list at most {max} distinct addresses',
    must_accept: 'the terms of use must be accepted',
    invalid_value: 'must be one of: {values}',
    unknown_field: 'is not a known field',
    not_found: 'does not match any existing record',
    invalid_json: 'is not valid JSON',
  },
  fr: {
    required: 'est obligatoire',
    invalid_type: "n'a pas le bon type",
    too_short: 'ne doit pas être vide',
    too_long: 'doit faire au plus {max} caractères',
    invalid_characters: 'ne peut contenir que des lettres, des chiffres et des espaces',
    not_integer: 'doit être un nombre entier',
    out_of_range: 'doit être compris entre {min} et {max}',
    invalid_format: 'doit être de la forme {example}',
    invalid_time_zone: 'doit être un fuseau horaire IANA, par exemple Europe/Paris',
    nonexistent_time: "n'existe pas dans ce fuseau horaire (changement d'heure)",
    in_the_past: 'ne doit pas être dans le passé',
    too_far_ahead: "doit être au plus {max} mois après aujourd'hui",
    invalid_email: 'doit être une adresse électronique valide',
    too_many: 'doit contenir au plus {max} adresses distinctes',
    must_accept: "les conditions d'utilisation doivent être acceptées",
    invalid_value: "doit être l'une des valeurs : {values}",
    unknown_field: "n'est pas un champ connu",
    not_found: 'ne correspond à aucun enregistrement existant',
    invalid_json: "n'est pas du JSON valide",
  },
};

const knownCodes = new Set<string>(fieldErrorCodes);

/** Builds one field error with its message in `language`. */
export function fieldError(
  field: string,
  code: FieldErrorCode,
  language: Language,
  params: MessageParams = {},
): FieldError {
  const values = params[field.split('.')[0]!] ?? {};
  const message = catalog[language][code].replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in values ? String(values[key]) : whole,
  );
  return { field, code, message };
}

/**
 * Turns zod issues into field errors. Schemas put a field error code in each check's message;
 * issues zod raises on its own (wrong type, unknown key) are mapped here. A field missing from
 * `input` is reported as `required` whatever the check that caught it. Only the first problem of
 * each field is kept, so the client gets one entry per field.
 */
export function fieldErrorsFromZod(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  language: Language,
  params: MessageParams = {},
): FieldError[] {
  const present = (key: PropertyKey): boolean =>
    typeof input === 'object' && input !== null && Object.hasOwn(input, key);
  const errors: FieldError[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        errors.push(fieldError([...issue.path, key].join('.'), 'unknown_field', language, params));
      continue;
    }
    const field = issue.path.map(String).join('.') || '(body)';
    let code: FieldErrorCode;
    if (issue.path.length === 1 && !present(issue.path[0]!)) code = 'required';
    else if (knownCodes.has(issue.message)) code = issue.message as FieldErrorCode;
    else code = issue.code === 'invalid_type' ? 'invalid_type' : 'invalid_value';
    if (!errors.some((e) => e.field === field)) errors.push(fieldError(field, code, language, params));
  }
  return errors;
}
