import { Temporal } from '@js-temporal/polyfill';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { Booking, Organizer } from '../booking';
import type { NotificationKind } from '../booking-notifier';
import type { JoinInfo } from '../join-info';
import { confirmationRecipients } from './confirmation-recipients';

/** iCalendar method of a confirmation (RFC 5546 §3.2.2 REQUEST, §3.2.5 CANCEL). */
export type CalendarMethod = 'REQUEST' | 'CANCEL';

/** A cancellation withdraws the event; every other confirmation (re)sends it. */
export function calendarMethod(kind: NotificationKind): CalendarMethod {
  return kind === 'cancelled' ? 'CANCEL' : 'REQUEST';
}

/**
 * The UID of a booking's event. Derived from the booking id alone so every update and the
 * cancellation address the same event in the attendees' calendars (RFC 5545 §3.8.4.7).
 */
export function eventUid(bookingId: string): string {
  return `booking-${bookingId}@confgate`;
}

/** What the invitation is made from. */
export interface ConfirmationIcsInput {
  booking: Booking;
  organizer: Organizer;
  join: JoinInfo;
  kind: NotificationKind;
  /** The event's DESCRIPTION: the confirmation's plain text, join lines included. */
  description: string;
  now: Date;
}

/**
 * The .ics invitation of a booking: one VEVENT whose DTSTART/DTEND carry the booking's TZID
 * with its VTIMEZONE (RFC 5545 §3.6.5), SEQUENCE from the booking (raised by every change,
 * RFC 5546 §2.1.4), LOCATION the SIP URI, the organiser as ORGANIZER and the recipients as
 * ATTENDEEs. A cancellation is METHOD:CANCEL with STATUS:CANCELLED (RFC 5546 §3.2.5).
 */
export function confirmationIcs(input: ConfirmationIcsInput): string {
  const { booking, organizer, join } = input;
  const method = calendarMethod(input.kind);
  const calendar = ical({
    prodId: { company: 'confgate', product: 'confgate', language: booking.language.toUpperCase() },
    method: method === 'CANCEL' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  });
  // Start and end come from the stored instants, shown in the booking's zone, so a window that
  // crosses a DST change ends when admission ends it.
  const start = Temporal.Instant.from(booking.startsAt).toZonedDateTimeISO(booking.timeZone);
  const end = Temporal.Instant.from(booking.endsAt).toZonedDateTimeISO(booking.timeZone);
  calendar.createEvent({
    id: eventUid(booking.id),
    sequence: booking.sequence,
    stamp: input.now,
    start,
    end,
    timezone: booking.timeZone,
    summary: booking.title,
    description: input.description,
    location: join.sipUri,
    url: /^https?:\/\//i.test(join.desktopLink) ? join.desktopLink : null,
    organizer: { name: organizer.name, email: organizer.email },
    // The organiser is ORGANIZER already; listing them as ATTENDEE too would ask them to answer themselves.
    attendees: confirmationRecipients(booking, organizer)
      .slice(1)
      .map((email) => ({ email, role: ICalAttendeeRole.REQ, status: ICalAttendeeStatus.NEEDSACTION })),
    status: method === 'CANCEL' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  return withTimezoneDefinition(calendar.toString(), booking.timeZone);
}

/**
 * Adds the VTIMEZONE that every TZID needs (RFC 5545 §3.6.5) and the CRLF that ends the last
 * line (§3.1). The calendar-level timezone of ical-generator would add it too, but it then
 * writes DTSTAMP in local time, where §3.8.7.2 requires UTC.
 */
function withTimezoneDefinition(ics: string, timeZone: string): string {
  const vtimezone = getVtimezoneComponent(timeZone)?.replace(/\r?\n/g, '\r\n');
  const text = vtimezone ? ics.replace('BEGIN:VEVENT', () => `${vtimezone}BEGIN:VEVENT`) : ics;
  return text.endsWith('\r\n') ? text : `${text}\r\n`;
}
