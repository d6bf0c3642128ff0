import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Booking, Language } from '../../booking/booking';
import { createBookingSchema, updateBookingSchema } from '../../booking/booking-input';
import type { BookingService } from '../../booking/booking-service';
import { joinInfo, type JoinSettings } from '../../booking/join-info';
import { negotiateLanguage } from '../accept-language';
import { principalOf } from '../bearer-auth';
import { parseRequest } from '../parse-request';
import {
  bookingListSchema,
  bookingViewSchema,
  conferenceParamsSchema,
  createQuerySchema,
  errorBodySchema,
  listQuerySchema,
} from './conference-schemas';

export interface ConferenceRoutesOptions {
  bookings: BookingService;
  join: JoinSettings;
  defaultLanguage: Language;
  authenticate: (request: FastifyRequest) => Promise<void>;
}

const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };
const common = { tags: ['conferences'], security: [{ bearer: [] }] };

/** `/api/conferences`: book, list, read, change, cancel, and resend the confirmation. */
export async function conferenceRoutes(app: FastifyInstance, options: ConferenceRoutesOptions): Promise<void> {
  const { bookings, join, defaultLanguage } = options;
  const language = (request: FastifyRequest): Language =>
    negotiateLanguage(request.headers['accept-language'], defaultLanguage);
  const view = async (booking: Booking) => ({
    ...booking,
    joinInfo: joinInfo(booking, join),
    mail: await bookings.mailStatus(booking.id),
  });
  const idOf = (request: FastifyRequest): string =>
    parseRequest(conferenceParamsSchema, request.params, language(request)).id;

  app.addHook('preHandler', options.authenticate);

  app.post(
    '/api/conferences',
    {
      schema: {
        ...common,
        summary: 'Book a conference',
        querystring: createQuerySchema,
        body: createBookingSchema,
        response: { 201: bookingViewSchema, ...errors },
      },
    },
    async (request, reply) => {
      const lang = language(request);
      const { organizerId } = parseRequest(createQuerySchema, request.query, lang);
      const booking = await bookings.create(principalOf(request), request.body, lang, organizerId);
      return reply.code(201).send(await view(booking));
    },
  );

  app.get(
    '/api/conferences',
    {
      schema: {
        ...common,
        summary: 'List own conferences (admin: all)',
        querystring: listQuerySchema,
        response: { 200: bookingListSchema, ...errors },
      },
    },
    async (request) => {
      const { when } = parseRequest(listQuerySchema, request.query, language(request));
      const list = await bookings.list(principalOf(request), when);
      return { conferences: await Promise.all(list.map(view)) };
    },
  );

  app.get(
    '/api/conferences/:id',
    {
      schema: {
        ...common,
        summary: 'Read a conference',
        params: conferenceParamsSchema,
        response: { 200: bookingViewSchema, ...errors },
      },
    },
    async (request) => view(await bookings.get(principalOf(request), idOf(request))),
  );

  app.patch(
    '/api/conferences/:id',
    {
      schema: {
        ...common,
        summary: 'Change a conference (same rules; the number is kept unless the new window collides)',
        params: conferenceParamsSchema,
        body: updateBookingSchema,
        response: { 200: bookingViewSchema, ...errors },
      },
    },
    async (request) =>
      view(await bookings.update(principalOf(request), idOf(request), request.body, language(request))),
  );

  app.delete(
    '/api/conferences/:id',
    {
      schema: {
        ...common,
        summary: 'Cancel a conference (kept, marked cancelled)',
        params: conferenceParamsSchema,
        response: { 200: bookingViewSchema, ...errors },
      },
    },
    async (request) => view(await bookings.cancel(principalOf(request), idOf(request))),
  );

  app.post(
    '/api/conferences/:id/resend',
    {
      schema: {
        ...common,
        summary: 'Send the confirmation again',
        params: conferenceParamsSchema,
        response: { 202: bookingViewSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(202).send(await view(await bookings.resend(principalOf(request), idOf(request)))),
  );
}
