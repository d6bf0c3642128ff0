import { z } from 'zod';
import { canonicalTimeZone } from './wall-clock';

/** The limits of RENAvisio's booking form; the schema and the error messages both read them. */
export const bookingLimits = {
  titleMaxLength: 24,
  accessCodeMin: 1000,
  accessCodeMax: 9999,
  durationMinMinutes: 30,
  durationMaxMinutes: 8 * 60,
  connectionsMin: 2,
  connectionsMax: 20,
  commentMaxLength: 500,
  recipientsMax: 20,
} as const;

/** Minutes in an `HH:MM` duration, or undefined when malformed. */
export function durationMinutes(text: string): number | undefined {
  const m = /^(\d{2}):(\d{2})$/.exec(text);
  if (!m || Number(m[2]) > 59) return undefined;
  return Number(m[1]) * 60 + Number(m[2]);
}

/** `HH:MM` for a number of minutes (the inverse of {@link durationMinutes}). */
export function durationText(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Keeps the first spelling of each address, comparing case-insensitively. */
export function dedupeEmails(list: string[]): string[] {
  const seen = new Set<string>();
  return list.filter((address) => {
    const key = address.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const L = bookingLimits;

/**
 * Field rules of a booking, each check's message being a `FieldErrorCode`. Cross-field rules that
 * need the clock (start not in the past, at most N months ahead) are in `booking-rules.ts`.
 */
export const bookingFields = {
  title: z
    .string()
    .trim()
    .normalize('NFC')
    .min(1, 'too_short')
    .max(L.titleMaxLength, 'too_long')
    .regex(/^[\p{L}\p{M}\p{N} ]+$/u, 'invalid_characters')
    .describe('1–24 letters (accents allowed), digits and spaces; trimmed'),
  accessCode: z
    .number()
    .int('not_integer')
    .min(L.accessCodeMin, 'out_of_range')
    .max(L.accessCodeMax, 'out_of_range')
    .describe('Access code participants enter; generated when absent'),
  start: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'invalid_format')
    .describe('Local date and time in timeZone, e.g. 2026-12-01T10:00'),
  timeZone: z
    .string()
    .refine((tz) => canonicalTimeZone(tz) !== undefined, 'invalid_time_zone')
    .transform((tz) => canonicalTimeZone(tz)!)
    .describe('IANA time zone, e.g. Europe/Paris'),
  duration: z
    .string()
    .regex(/^\d{2}:[0-5]\d$/, 'invalid_format')
    .refine((d) => {
      const minutes = durationMinutes(d)!;
      return minutes >= L.durationMinMinutes && minutes <= L.durationMaxMinutes;
    }, 'out_of_range')
    .describe('HH:MM from 00:30 to 08:00'),
  type: z.enum(['video', 'audio'], 'invalid_value').describe('Conference type'),
  estimatedConnections: z
    .number()
    .int('not_integer')
    .min(L.connectionsMin, 'out_of_range')
    .max(L.connectionsMax, 'out_of_range')
    .describe('Connection cap enforced at call time'),
  comment: z.string().max(L.commentMaxLength, 'too_long').describe('Free text for participants'),
  recipients: z
    .array(z.email('invalid_email'))
    .transform(dedupeEmails)
    .pipe(z.array(z.string()).max(L.recipientsMax, 'too_many'))
    .describe('Up to 20 e-mail addresses, de-duplicated case-insensitively'),
  calendarInvite: z.boolean('invalid_type').describe('Attach an .ics invitation to the e-mails'),
  acceptTerms: z.literal(true, 'must_accept').describe('Must be true'),
  language: z.enum(['fr', 'en'], 'invalid_value').describe('Language of the confirmation'),
};

const allFields = z.object(bookingFields);

/** Body of `POST /api/conferences`. Unknown fields are refused. */
export const createBookingSchema = allFields
  .extend({
    accessCode: bookingFields.accessCode.optional(),
    type: bookingFields.type.default('video'),
    comment: bookingFields.comment.default(''),
    recipients: bookingFields.recipients.default([]),
    calendarInvite: bookingFields.calendarInvite.default(true),
    language: bookingFields.language.optional(),
  })
  .strict();

/** Body of `PATCH /api/conferences/:id`: any subset of the booking fields, same rules. */
export const updateBookingSchema = allFields.partial().strict();

export type CreateBookingInput = z.output<typeof createBookingSchema>;
export type UpdateBookingInput = z.output<typeof updateBookingSchema>;
