import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Language } from '../../booking/booking';
import { callRecordsCsv } from '../../live/call-record-query';
import type { Live } from '../../live/live';
import { ApiError } from '../api-error';
import { parseRequest } from '../parse-request';
import { requestLanguage } from './request-context';

export interface LiveReadRoutesOptions {
  live: Live;
  defaultLanguage: Language;
  adminOnly: (request: FastifyRequest) => Promise<void>;
  now: () => Date;
}

export const numberParamsSchema = z
  .object({ number: z.string().regex(/^\d{1,16}$/, 'a conference number is digits') })
  .strict();

const instant = z
  .union([z.string().datetime({ offset: true }), z.string().regex(/^\d{1,16}$/)])
  .transform((v) => (/^\d+$/.test(v) ? Number(v) : Date.parse(v)));
const callsQuerySchema = z
  .object({
    from: instant.optional(),
    to: instant.optional(),
    limit: z.coerce.number().int().min(1).max(10000).default(1000),
    format: z.enum(['json', 'csv']).optional(),
  })
  .strict();

const common = { tags: ['live'], security: [{ bearer: [] }] };

/** `/api/live/*` reads and `/api/calls`: the live view and the call records, admin only. */
export async function liveReadRoutes(app: FastifyInstance, options: LiveReadRoutesOptions): Promise<void> {
  const { live } = options;
  const lang = requestLanguage(options.defaultLanguage);
  const now = (): number => options.now().getTime();
  app.addHook('preHandler', options.adminOnly);

  app.get(
    '/api/live/conferences',
    { schema: { ...common, summary: 'Conferences in progress with their participants' } },
    async () => ({
      conferences: await live.state.conferences(now()),
    }),
  );

  app.get(
    '/api/live/conferences/:number',
    { schema: { ...common, summary: 'One conference in progress', params: numberParamsSchema } },
    async (request) => {
      const { number } = parseRequest(numberParamsSchema, request.params, lang(request));
      const conference = await live.state.conference(number, now());
      if (!conference) throw new ApiError(404, 'not_found', `no conference in progress on number ${number}`);
      return conference;
    },
  );

  app.get(
    '/api/live/calls',
    { schema: { ...common, summary: 'Calls still in the IVR, and participants of conferences in progress' } },
    async () => {
      const [ivr, conferences] = await Promise.all([live.state.ivrCalls(now()), live.state.conferences(now())]);
      return {
        ivr,
        participants: conferences.flatMap((c) =>
          c.participants.map((p) => ({ ...p, number: c.number, bookingId: c.bookingId })),
        ),
      };
    },
  );

  app.get('/api/live/mcus', { schema: { ...common, summary: 'MCU health as the instances report it' } }, async () => ({
    mcus: live.mcus.list(),
  }));

  app.get('/api/live/audit', { schema: { ...common, summary: 'Recent admin actions, newest first' } }, async () => ({
    actions: await live.audit.recent(200),
  }));

  app.get(
    '/api/calls',
    {
      schema: {
        ...common,
        summary: 'Call records (JSON, or CSV by Accept: text/csv or format=csv)',
        querystring: callsQuerySchema,
      },
    },
    async (request, reply) => {
      const q = parseRequest(callsQuerySchema, request.query, lang(request));
      const to = q.to ?? now();
      const from = q.from ?? to - 86_400_000;
      if (Number.isNaN(from) || Number.isNaN(to) || from > to) {
        throw ApiError.validation([
          { field: 'from', code: 'out_of_range', message: 'from must be a valid instant not after to' },
        ]);
      }
      if (!live.records)
        throw new ApiError(503, 'unavailable', 'no call records in this process (no Redis and no dial-in)');
      const records = await live.records.between(from, to, q.limit);
      const csv = q.format === 'csv' || (q.format === undefined && /\btext\/csv\b/.test(request.headers.accept ?? ''));
      if (csv)
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="confgate-calls.csv"')
          .send(callRecordsCsv(records));
      return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), calls: records };
    },
  );
}
