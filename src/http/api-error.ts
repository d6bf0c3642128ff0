import type { FieldError } from '../booking/field-error';

/** The body of every error answer: a stable `error` code, a message, and field errors on 400. */
export interface ErrorBody {
  error: string;
  message: string;
  errors?: FieldError[];
}

/** An HTTP error as a value: status plus body. Thrown by handlers, rendered by the error handler. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly fieldErrors?: FieldError[],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  body(): ErrorBody {
    return { error: this.code, message: this.message, ...(this.fieldErrors ? { errors: this.fieldErrors } : {}) };
  }

  static validation(errors: FieldError[]): ApiError {
    return new ApiError(400, 'validation_failed', 'the request breaks some rules; see errors', errors);
  }
}
