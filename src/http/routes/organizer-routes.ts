import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Language, Organizer } from '../../booking/booking';
import { hashToken, newOrganizerToken } from '../../booking/organizer-token';
import type { OrganizerRepository } from '../../booking/organizer-repository';
import { negotiateLanguage } from '../accept-language';
import { ApiError } from '../api-error';
import { principalOf } from '../bearer-auth';
import { parseRequest } from '../parse-request';
import { errorBodySchema } from './conference-schemas';

export const createOrganizerSchema = z
  .object({
    name: z.string().trim().min(1, 'too_short').max(100, 'too_long'),
    email: z.string().trim().pipe(z.email('invalid_email')),
  })
  .strict();

const organizerViewSchema = z.object({ id: z.string(), name: z.string(), email: z.string(), createdAt: z.string() });
const issuedSchema = organizerViewSchema.extend({
  token: z.string().describe('Bearer token; shown only in this answer, stored hashed'),
});

export interface OrganizerRoutesOptions {
  organizers: OrganizerRepository;
  defaultLanguage: Language;
  authenticate: (request: FastifyRequest) => Promise<void>;
  now?: () => Date;
}

const publicView = ({ tokenHash: _secret, ...organizer }: Organizer) => organizer;

/** `/api/organizers`: the admin issues organiser tokens. */
export async function organizerRoutes(app: FastifyInstance, options: OrganizerRoutesOptions): Promise<void> {
  const now = options.now ?? (() => new Date());
  app.addHook('preHandler', options.authenticate);
  app.addHook('preHandler', async (request) => {
    if (principalOf(request).kind !== 'admin')
      throw new ApiError(403, 'forbidden', 'only the admin token may manage organisers');
  });
  const common = { tags: ['organizers'], security: [{ bearer: [] }] };
  const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema };

  app.post(
    '/api/organizers',
    {
      schema: {
        ...common,
        summary: 'Create an organiser and issue its token (admin)',
        body: createOrganizerSchema,
        response: { 201: issuedSchema, ...errors },
      },
    },
    async (request, reply) => {
      const lang = negotiateLanguage(request.headers['accept-language'], options.defaultLanguage);
      const input = parseRequest(createOrganizerSchema, request.body, lang);
      const token = newOrganizerToken();
      const organizer: Organizer = {
        id: randomUUID(),
        ...input,
        tokenHash: hashToken(token),
        createdAt: now().toISOString(),
      };
      await options.organizers.create(organizer);
      request.log.info({ organizerId: organizer.id }, 'organiser created');
      return reply.code(201).send({ ...publicView(organizer), token });
    },
  );

  app.get(
    '/api/organizers',
    {
      schema: {
        ...common,
        summary: 'List organisers (admin)',
        response: { 200: z.object({ organizers: z.array(organizerViewSchema) }), ...errors },
      },
    },
    async () => ({ organizers: (await options.organizers.list()).map(publicView) }),
  );
}
