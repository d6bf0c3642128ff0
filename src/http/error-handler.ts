import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Language } from '../booking/booking';
import { BookingError } from '../booking/booking-error';
import { fieldError } from '../booking/field-error';
import { LiveNotFoundError } from '../live/live-not-found-error';
import { negotiateLanguage } from './accept-language';
import { ApiError } from './api-error';

const bookingStatus: Record<BookingError['kind'], [number, string]> = {
  invalid: [400, 'validation_failed'],
  not_found: [404, 'not_found'],
  no_free_number: [409, 'no_free_number'],
  changed: [409, 'changed'],
  cancelled: [409, 'cancelled'],
  number_taken: [409, 'number_taken'],
};

/** ioredis gives up on a command after its retries; the store is then unreachable. */
function storeUnavailable(e: Error): boolean {
  return (
    e.name === 'MaxRetriesPerRequestError' || /Connection is closed|ECONNREFUSED|Stream isn't writeable/.test(e.message)
  );
}

/**
 * Renders every failure as `{ error, message, errors? }`: rule violations 400 with field errors,
 * malformed JSON 400, oversized body 413 (fastify's `bodyLimit`), an unreachable store 503, and
 * anything unexpected 500 without internals (logged instead).
 */
export function errorHandler(defaultLanguage: Language) {
  return function handle(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
    const lang = negotiateLanguage(request.headers['accept-language'], defaultLanguage);
    let api: ApiError;
    if (error instanceof ApiError) api = error;
    else if (error instanceof BookingError) {
      const [status, code] = bookingStatus[error.kind];
      api = new ApiError(status, code, error.message, error.kind === 'invalid' ? error.fieldErrors : undefined);
    } else if (error instanceof LiveNotFoundError) api = new ApiError(404, 'not_found', error.message);
    else if ('code' in error && error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      api = new ApiError(413, 'payload_too_large', error.message);
    else if (
      'code' in error &&
      (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
    ) {
      api = ApiError.validation([fieldError('(body)', 'invalid_json', lang)]);
    } else if (
      'statusCode' in error &&
      typeof error.statusCode === 'number' &&
      error.statusCode >= 400 &&
      error.statusCode < 500
    ) {
      api = new ApiError(error.statusCode, 'bad_request', error.message);
    } else if (storeUnavailable(error)) {
      request.log.error({ err: error.message }, 'store unavailable');
      api = new ApiError(503, 'store_unavailable', 'the store is unreachable; try again later');
    } else {
      request.log.error({ err: error }, 'unexpected error');
      api = new ApiError(500, 'internal_error', 'unexpected error; see the server log');
    }
    if (api.statusCode === 401) void reply.header('www-authenticate', 'Bearer');
    return reply.code(api.statusCode).send(api.body());
  };
}
