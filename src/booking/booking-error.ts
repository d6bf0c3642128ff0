import type { FieldError } from './field-error';

/**
 * Why a booking operation was refused, as a value the HTTP layer maps to a status:
 * `invalid` 400, `not_found` 404, `no_free_number` / `changed` / `cancelled` / `number_taken` 409.
 */
export type BookingErrorKind = 'invalid' | 'not_found' | 'no_free_number' | 'changed' | 'cancelled' | 'number_taken';

export class BookingError extends Error {
  constructor(
    readonly kind: BookingErrorKind,
    message: string,
    readonly fieldErrors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'BookingError';
  }
}
