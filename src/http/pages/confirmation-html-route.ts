import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Booking, Language } from '../../booking/booking';
import type { NotificationKind } from '../../booking/booking-notifier';
import type { BookingService } from '../../booking/booking-service';
import { confirmationContent } from '../../booking/confirmation/confirmation-content';
import { renderConfirmationHtml } from '../../booking/confirmation/render-confirmation';
import { joinInfo, type JoinSettings } from '../../booking/join-info';
import { negotiateLanguage } from '../accept-language';
import { principalOf } from '../bearer-auth';
import { parseRequest } from '../parse-request';

export interface ConfirmationHtmlRouteOptions {
  bookings: BookingService;
  join: JoinSettings;
  defaultLanguage: Language;
  authenticate: (request: FastifyRequest) => Promise<void>;
}

const paramsSchema = z.object({ id: z.string().min(1).max(100) }).strict();

/** The mail the booking's last change sent: created, then updated after any change, cancelled at the end. */
export function lastNotificationKind(booking: Pick<Booking, 'status' | 'sequence'>): NotificationKind {
  if (booking.status === 'cancelled') return 'cancelled';
  return booking.sequence === 0 ? 'created' : 'updated';
}

/**
 * `GET /api/conferences/:id/confirmation`: the HTML part of the booking's latest confirmation
 * mail, rendered by the mail's own renderer in the booking's language, so the confirmation page
 * shows exactly what the e-mail shows. Same access rule as the booking itself: its organiser or
 * the admin; anyone else gets 404.
 */
export async function confirmationHtmlRoute(
  app: FastifyInstance,
  options: ConfirmationHtmlRouteOptions,
): Promise<void> {
  app.get(
    '/api/conferences/:id/confirmation',
    {
      preHandler: options.authenticate,
      schema: {
        // Serves the pages, not API clients (they read the mail itself); kept out of /api/docs.
        hide: true,
        tags: ['conferences'],
        security: [{ bearer: [] }],
        summary: 'The confirmation e-mail of a conference, as HTML (text/html)',
        params: paramsSchema,
      },
    },
    async (request, reply) => {
      const language = negotiateLanguage(request.headers['accept-language'], options.defaultLanguage);
      const { id } = parseRequest(paramsSchema, request.params, language);
      const booking = await options.bookings.get(principalOf(request), id);
      const content = confirmationContent(booking, joinInfo(booking, options.join), lastNotificationKind(booking));
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(renderConfirmationHtml(content, booking.language));
    },
  );
}
