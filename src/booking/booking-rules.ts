import type { Booking, Language } from './booking';
import { generateAccessCode } from './access-code';
import { bookingLimits, createBookingSchema, durationMinutes, updateBookingSchema } from './booking-input';
import { fieldError, fieldErrorsFromZod, type FieldError, type MessageParams } from './field-error';
import { addMonths, parseWallClock, wallClockAt, wallClockToUtc } from './wall-clock';

/** What the rules need besides the input; `now` is a parameter so the rules stay pure. */
export interface BookingRuleContext {
  now: Date;
  /** How far ahead a start may be, in calendar months from today in the booking's zone. */
  maxMonthsAhead: number;
  /** Confirmation language when the input names none. */
  defaultLanguage: Language;
  /** Language of the error messages (the request's). */
  messageLanguage: Language;
  /** Source of access codes when the input has none (default: cryptographic). */
  newAccessCode?: () => number;
}

/** The organiser-supplied part of a booking, validated, with its UTC instants computed. */
export type BookingDraft = Pick<
  Booking,
  | 'title'
  | 'accessCode'
  | 'start'
  | 'timeZone'
  | 'duration'
  | 'startsAt'
  | 'endsAt'
  | 'type'
  | 'estimatedConnections'
  | 'comment'
  | 'recipients'
  | 'calendarInvite'
  | 'language'
>;

export type BookingRuleResult = { ok: true; draft: BookingDraft } | { ok: false; errors: FieldError[] };

function messageParams(ctx: BookingRuleContext): MessageParams {
  const L = bookingLimits;
  return {
    title: { max: L.titleMaxLength },
    accessCode: { min: L.accessCodeMin, max: L.accessCodeMax },
    start: { example: '2026-12-01T10:00', max: ctx.maxMonthsAhead },
    duration: { example: '01:30', min: '00:30', max: '08:00' },
    estimatedConnections: { min: L.connectionsMin, max: L.connectionsMax },
    comment: { max: L.commentMaxLength },
    recipients: { max: L.recipientsMax },
    type: { values: 'video, audio' },
    language: { values: 'fr, en' },
  };
}

type Schedule = { ok: true; startsAt: string; endsAt: string } | { ok: false; error: FieldError };

/**
 * Places `start` (local, in `timeZone`) on the UTC time line and, when `checkWindow`, applies the
 * calendar rules: not before the current minute, and on or before the same day `maxMonthsAhead`
 * months after today in that zone. The end is the start plus the elapsed duration, so a
 * conference that spans a clock change lasts exactly its duration.
 */
function schedule(
  start: string,
  timeZone: string,
  duration: string,
  ctx: BookingRuleContext,
  checkWindow: boolean,
): Schedule {
  const fail = (code: FieldError['code']): Schedule => ({
    ok: false,
    error: fieldError('start', code, ctx.messageLanguage, messageParams(ctx)),
  });
  const wall = parseWallClock(start);
  if (!wall) return fail('invalid_format');
  const instant = wallClockToUtc(wall, timeZone);
  if (instant.kind === 'skipped') return fail('nonexistent_time');
  if (checkWindow) {
    const nowMs = ctx.now.getTime();
    if (instant.utcMs < Math.floor(nowMs / 60_000) * 60_000) return fail('in_the_past');
    const today = wallClockAt(nowMs, timeZone);
    const lastDay = addMonths(today.year, today.month, today.day, ctx.maxMonthsAhead);
    if (wall.year * 10_000 + wall.month * 100 + wall.day > lastDay) return fail('too_far_ahead');
  }
  const endsAt = instant.utcMs + durationMinutes(duration)! * 60_000;
  return { ok: true, startsAt: new Date(instant.utcMs).toISOString(), endsAt: new Date(endsAt).toISOString() };
}

/** Validates the body of a new booking. Generates the access code when absent. */
export function checkNewBooking(input: unknown, ctx: BookingRuleContext): BookingRuleResult {
  const parsed = createBookingSchema.safeParse(input);
  if (!parsed.success)
    return {
      ok: false,
      errors: fieldErrorsFromZod(parsed.error.issues, input, ctx.messageLanguage, messageParams(ctx)),
    };
  const v = parsed.data;
  const when = schedule(v.start, v.timeZone, v.duration, ctx, true);
  if (!when.ok) return { ok: false, errors: [when.error] };
  return {
    ok: true,
    draft: {
      title: v.title,
      accessCode: v.accessCode ?? (ctx.newAccessCode ?? generateAccessCode)(),
      start: v.start,
      timeZone: v.timeZone,
      duration: v.duration,
      startsAt: when.startsAt,
      endsAt: when.endsAt,
      type: v.type,
      estimatedConnections: v.estimatedConnections,
      comment: v.comment,
      recipients: v.recipients,
      calendarInvite: v.calendarInvite,
      language: v.language ?? ctx.defaultLanguage,
    },
  };
}

/**
 * Validates a partial change to `existing` with the same rules. The calendar rules (past,
 * horizon) apply only when the change moves the start (`start` or `timeZone`), so a running
 * conference can still get, say, a new comment.
 */
export function checkBookingUpdate(existing: BookingDraft, input: unknown, ctx: BookingRuleContext): BookingRuleResult {
  const parsed = updateBookingSchema.safeParse(input);
  if (!parsed.success)
    return {
      ok: false,
      errors: fieldErrorsFromZod(parsed.error.issues, input, ctx.messageLanguage, messageParams(ctx)),
    };
  const { acceptTerms: _accepted, ...change } = parsed.data;
  const merged = {
    ...existing,
    ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)),
  } as BookingDraft;
  const moved = change.start !== undefined || change.timeZone !== undefined;
  const when = schedule(merged.start, merged.timeZone, merged.duration, ctx, moved);
  if (!when.ok) return { ok: false, errors: [when.error] };
  return { ok: true, draft: { ...merged, startsAt: when.startsAt, endsAt: when.endsAt } };
}
