import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Language } from '../../booking/booking';
import type { AdminActions, AdminActor } from '../../live/admin-actions';
import { principalOf } from '../bearer-auth';
import { parseRequest } from '../parse-request';
import { requestLanguage } from './request-context';
import { numberParamsSchema } from './live-read-routes';

export interface AdminActionRoutesOptions {
  actions: AdminActions;
  defaultLanguage: Language;
  adminOnly: (request: FastifyRequest) => Promise<void>;
}

const participantParamsSchema = numberParamsSchema.extend({
  participantId: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[\w-]+$/),
});
const extendBodySchema = z.object({ minutes: z.number().int().min(1).max(480) }).strict();

const common = { tags: ['live'], security: [{ bearer: [] }] };

/** Who sent the request, for the audit. */
function actorOf(request: FastifyRequest): AdminActor {
  return {
    by: principalOf(request).kind,
    address: request.ip,
    userAgent: String(request.headers['user-agent'] ?? '').slice(0, 200),
  };
}

/** The admin's actions on a conference in progress (`AdminActions` in live/): kick, lock, unlock, end, extend. */
export async function adminActionRoutes(app: FastifyInstance, options: AdminActionRoutesOptions): Promise<void> {
  const { actions } = options;
  const lang = requestLanguage(options.defaultLanguage);
  const numberOf = (request: FastifyRequest): string =>
    parseRequest(numberParamsSchema.pick({ number: true }).strip(), request.params, lang(request)).number;
  app.addHook('preHandler', options.adminOnly);

  app.post(
    '/api/live/conferences/:number/participants/:participantId/kick',
    { schema: { ...common, summary: 'Remove a participant (BYE to both legs)' } },
    async (request) => {
      const { number, participantId } = parseRequest(participantParamsSchema, request.params, lang(request));
      return actions.kick(number, participantId, actorOf(request));
    },
  );

  for (const locked of [true, false]) {
    app.post(
      `/api/live/conferences/:number/${locked ? 'lock' : 'unlock'}`,
      { schema: { ...common, summary: locked ? 'Lock: no new joins' : 'Unlock' } },
      async (request) => actions.setLocked(numberOf(request), locked, actorOf(request)),
    );
  }

  app.post(
    '/api/live/conferences/:number/end',
    { schema: { ...common, summary: 'End the conference: BYE every leg' } },
    async (request) => actions.end(numberOf(request), actorOf(request)),
  );

  app.post(
    '/api/live/conferences/:number/extend',
    { schema: { ...common, summary: 'Extend the end time (total duration at most 08:00)', body: extendBodySchema } },
    async (request) => {
      const language = lang(request);
      const { minutes } = parseRequest(extendBodySchema, request.body, language);
      return actions.extend(numberOf(request), minutes, actorOf(request), language);
    },
  );
}
