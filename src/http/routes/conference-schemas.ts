import { z } from 'zod';
import { fieldErrorCodes } from '../../booking/field-error';

/** `:id` of a conference route. */
export const conferenceParamsSchema = z.object({ id: z.string().min(1).max(100) }).strict();

/** `GET /api/conferences?when=` */
export const listQuerySchema = z
  .object({
    when: z
      .enum(['all', 'upcoming', 'past'], 'invalid_value')
      .default('all')
      .describe('upcoming: not ended yet; past: ended'),
  })
  .strict();

/** `POST /api/conferences?organizerId=`: the admin books for an organiser. */
export const createQuerySchema = z
  .object({ organizerId: z.string().min(1).optional().describe('Admin only: the organiser the booking belongs to') })
  .strict();

const joinInfoSchema = z.object({
  sipUri: z.string(),
  h323Uri: z.string(),
  ip: z.string(),
  phone: z.string(),
  desktopLink: z.string(),
  number: z.string(),
  accessCode: z.number().int(),
});

const mailStatusSchema = z.object({
  state: z.enum(['none', 'pending', 'sent', 'retrying', 'failed']),
  attempts: z.number().int(),
  lastError: z.string().optional(),
  lastAttemptAt: z.string().optional(),
  sentAt: z.string().optional(),
});

/** A booking as the API shows it: stored fields, how to join, and where its confirmation mail stands. */
export const bookingViewSchema = z.object({
  id: z.string(),
  number: z.string().describe('Conference number participants dial (end with #)'),
  organizerId: z.string(),
  title: z.string(),
  accessCode: z.number().int().describe('Access code participants enter (end with #)'),
  start: z.string(),
  timeZone: z.string(),
  duration: z.string(),
  startsAt: z.string().describe('UTC instant of the start'),
  endsAt: z.string().describe('UTC instant of the end'),
  type: z.enum(['video', 'audio']),
  estimatedConnections: z.number().int(),
  comment: z.string(),
  recipients: z.array(z.string()),
  calendarInvite: z.boolean(),
  language: z.enum(['fr', 'en']),
  status: z.enum(['active', 'cancelled']),
  sequence: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  joinInfo: joinInfoSchema,
  mail: mailStatusSchema,
});

export const bookingListSchema = z.object({ conferences: z.array(bookingViewSchema) });

/** Every error answer; `errors` (one per field) on 400. */
export const errorBodySchema = z.object({
  error: z.string(),
  message: z.string(),
  errors: z.array(z.object({ field: z.string(), code: z.enum(fieldErrorCodes), message: z.string() })).optional(),
});
