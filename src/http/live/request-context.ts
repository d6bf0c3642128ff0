import type { FastifyRequest } from 'fastify';
import type { Language } from '../../booking/booking';
import { negotiateLanguage } from '../accept-language';

/** The request's language for field errors (Accept-Language, else the configured one). */
export function requestLanguage(defaultLanguage: Language): (request: FastifyRequest) => Language {
  return (request) => negotiateLanguage(request.headers['accept-language'], defaultLanguage);
}
