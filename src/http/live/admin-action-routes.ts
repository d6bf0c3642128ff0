import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Language } from '../../booking/booking';
import { durationMinutes } from '../../booking/booking-input';
import type { BookingService } from '../../booking/booking-service';
import type { AuditEntry } from '../../live/admin-audit';
import type { Live } from '../../live/create-live';
import type { LiveConference } from '../../live/live-state';
import { ApiError } from '../api-error';
import { principalOf } from '../bearer-auth';
import { parseRequest } from '../parse-request';
import { requestLanguage } from './request-context';
import { numberParamsSchema } from './live-read-routes';

export interface AdminActionRoutesOptions {
  live: Live;
  bookings: BookingService;
  defaultLanguage: Language;
  adminOnly: (request: FastifyRequest) => Promise<void>;
  now: () => Date;
  /** `booking.earlyJoinMinutes` and `booking.graceMinutes` in ms: the margins of a number's window. */
  earlyJoinMs: number;
  graceMs: number;
}

const participantParamsSchema = numberParamsSchema.extend({
  participantId: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[\w-]+$/),
});
const extendBodySchema = z.object({ minutes: z.number().int().min(1).max(480) }).strict();
/** RENAvisio's longest conference (booking rules): an extension never goes past it. */
const MAX_DURATION_MINUTES = 8 * 60;

const common = { tags: ['live'], security: [{ bearer: [] }] };
const hhmm = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/**
 * The admin's actions on a conference in progress: kick, lock, unlock, end, extend. Each is
 * audited (who, from where) before it is done, and published as a call event so every viewer updates.
 */
export async function adminActionRoutes(app: FastifyInstance, options: AdminActionRoutesOptions): Promise<void> {
  const { live } = options;
  const lang = requestLanguage(options.defaultLanguage);
  const now = (): number => options.now().getTime();
  app.addHook('preHandler', options.adminOnly);

  async function conferenceOf(request: FastifyRequest): Promise<LiveConference> {
    const { number } = parseRequest(numberParamsSchema.pick({ number: true }).strip(), request.params, lang(request));
    const conference = await live.state.conference(number, now());
    if (!conference) throw new ApiError(404, 'not_found', `no conference in progress on number ${number}`);
    return conference;
  }

  async function audit(
    request: FastifyRequest,
    c: LiveConference,
    action: AuditEntry['action'],
    extra: Partial<AuditEntry> = {},
  ): Promise<string> {
    const by = principalOf(request).kind;
    await live.audit.record({
      at: now(),
      by,
      address: request.ip,
      userAgent: String(request.headers['user-agent'] ?? '').slice(0, 200),
      action,
      bookingId: c.bookingId,
      number: c.number,
      ...extra,
    });
    request.log.info(
      { action, bookingId: c.bookingId, number: c.number, ...extra, by, address: request.ip },
      'admin action',
    );
    return by;
  }

  const instanceId = `http-${process.pid}`;

  app.post(
    '/api/live/conferences/:number/participants/:participantId/kick',
    { schema: { ...common, summary: 'Remove a participant (BYE to both legs)' } },
    async (request) => {
      const { participantId } = parseRequest(participantParamsSchema, request.params, lang(request));
      const c = await conferenceOf(request);
      const p = c.participants.find((x) => x.participantId === participantId);
      if (!p) throw new ApiError(404, 'not_found', `no participant ${participantId} in conference ${c.number}`);
      const by = await audit(request, c, 'kick', { participantId });
      const instances = await live.commands.send({ kind: 'kick', participantId, by, at: now() });
      // Idempotent: the instance holding the leg releases too; this frees a slot whose instance is gone.
      await live.admission.release(participantId);
      await live.publish({
        kind: 'kicked',
        at: now(),
        callId: p.callId,
        instanceId,
        participantId,
        bookingId: c.bookingId,
        by,
      });
      return { kicked: participantId, instancesNotified: instances };
    },
  );

  for (const locked of [true, false]) {
    const action = locked ? 'lock' : 'unlock';
    app.post(
      `/api/live/conferences/:number/${action}`,
      { schema: { ...common, summary: locked ? 'Lock: no new joins' : 'Unlock' } },
      async (request) => {
        const c = await conferenceOf(request);
        const by = await audit(request, c, action);
        if (!(await live.admission.setLocked(c.bookingId, locked)))
          throw new ApiError(404, 'not_found', `booking ${c.bookingId} is gone`);
        await live.publish({
          kind: 'conference',
          at: now(),
          callId: '-',
          instanceId,
          bookingId: c.bookingId,
          action,
          by,
        });
        return { number: c.number, locked };
      },
    );
  }

  app.post(
    '/api/live/conferences/:number/end',
    { schema: { ...common, summary: 'End the conference: BYE every leg' } },
    async (request) => {
      const c = await conferenceOf(request);
      const by = await audit(request, c, 'end');
      const instances = await live.commands.send({ kind: 'end', bookingId: c.bookingId, by, at: now() });
      for (const p of c.participants) await live.admission.release(p.participantId);
      await live.publish({
        kind: 'conference',
        at: now(),
        callId: '-',
        instanceId,
        bookingId: c.bookingId,
        action: 'end',
        by,
      });
      return { number: c.number, ended: c.participants.length, instancesNotified: instances };
    },
  );

  app.post(
    '/api/live/conferences/:number/extend',
    { schema: { ...common, summary: 'Extend the end time (total duration at most 08:00)', body: extendBodySchema } },
    async (request) => {
      const language = lang(request);
      const { minutes } = parseRequest(extendBodySchema, request.body, language);
      const c = await conferenceOf(request);
      const total = (durationMinutes(c.duration) ?? 0) + minutes;
      if (total > MAX_DURATION_MINUTES) {
        throw ApiError.validation([
          {
            field: 'minutes',
            code: 'out_of_range',
            message: `the conference would last ${hhmm(total)}; at most 08:00`,
          },
        ]);
      }
      // A running conference must keep its number: refuse if the number's next booking starts within the longer window.
      const newEnd = Date.parse(c.startsAt) + total * 60_000;
      const next = (await options.bookings.list({ kind: 'admin' }, 'upcoming')).find(
        (b) =>
          b.number === c.number &&
          b.id !== c.bookingId &&
          b.status === 'active' &&
          Date.parse(b.startsAt) - options.earlyJoinMs <= newEnd + options.graceMs,
      );
      if (next)
        throw new ApiError(
          409,
          'number_taken',
          `conference number ${c.number} is booked again from ${next.startsAt}; it cannot be extended past that`,
        );
      const by = await audit(request, c, 'extend', { detail: hhmm(total) });
      // Through the booking service: the store checks the longer window against the number's next booking.
      const saved = await options.bookings.update({ kind: 'admin' }, c.bookingId, { duration: hhmm(total) }, language);
      await live.publish({
        kind: 'conference',
        at: now(),
        callId: '-',
        instanceId,
        bookingId: c.bookingId,
        action: 'extend',
        by,
      });
      return {
        number: saved.number,
        duration: saved.duration,
        endsAt: saved.endsAt,
        renumbered: saved.number !== c.number,
      };
    },
  );
}
