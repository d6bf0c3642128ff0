import type { z } from 'zod';
import type { Language } from '../booking/booking';
import { fieldErrorsFromZod } from '../booking/field-error';
import { ApiError } from './api-error';

/** Parses a request part with its zod schema; a 400 with field errors in `language` otherwise. */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown, language: Language): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw ApiError.validation(fieldErrorsFromZod(result.error.issues, value ?? {}, language));
  return result.data;
}
