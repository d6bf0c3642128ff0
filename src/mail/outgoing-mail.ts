import { z } from 'zod';

/**
 * A fully rendered message as the queue keeps it: the worker sends it as is, so a job never
 * depends on the booking still looking the way it did when the mail was composed.
 */
export const outgoingMailSchema = z
  .object({
    to: z.array(z.string().min(3)).min(1),
    /** Where answers go: the organiser, not the machine that sent the mail. */
    replyTo: z.string().min(3).optional(),
    subject: z.string(),
    text: z.string(),
    html: z.string(),
    /** An iCalendar object sent as the text/calendar alternative (RFC 6047 §2.4). */
    calendar: z
      .object({ method: z.enum(['REQUEST', 'CANCEL']), content: z.string().min(1) })
      .strict()
      .optional(),
  })
  .strict();

export type OutgoingMail = z.infer<typeof outgoingMailSchema>;
