import type { Booking } from '../booking';
import type { NotificationKind } from '../booking-notifier';
import type { JoinInfo } from '../join-info';
import { confirmationWording, type ConfirmationWording } from './confirmation-wording';

/** One `label: value` line. `href` marks a value that is also a link in the HTML part. */
export interface ConfirmationLine {
  label: string;
  value: string;
  href?: string;
}

/** A heading and its lines: "How to join", then "Conference". */
export interface ConfirmationSection {
  heading: string;
  lines: ConfirmationLine[];
}

/**
 * What a confirmation says, independent of its format: the plain-text part, the HTML part and
 * the .ics description are all rendered from this, so they can never disagree.
 */
export interface ConfirmationContent {
  wording: ConfirmationWording;
  subject: string;
  intro: string;
  sections: ConfirmationSection[];
}

/** `2026-12-01 10:00 Europe/Paris`: the organiser's wall-clock start and its zone, as booked. */
export function formatStart(booking: Pick<Booking, 'start' | 'timeZone'>): string {
  return `${booking.start.replace('T', ' ')} ${booking.timeZone}`;
}

function fill(template: string, booking: Booking): string {
  return template.replaceAll('{title}', booking.title).replaceAll('{start}', formatStart(booking));
}

/** The join lines RENAvisio lists, in its order; an empty telephone number hides that line. */
export function joinSection(join: JoinInfo, w: ConfirmationWording): ConfirmationSection {
  const lines: ConfirmationLine[] = [
    { label: w.desktopLink, value: join.desktopLink, href: join.desktopLink },
    { label: w.ip, value: join.ip },
    ...(join.phone ? [{ label: w.phone, value: join.phone }] : []),
    { label: w.sipUri, value: join.sipUri },
    { label: w.h323Uri, value: join.h323Uri },
    { label: w.number, value: `${join.number} ${w.endWithHash}` },
    { label: w.accessCode, value: `${join.accessCode} ${w.endWithHash}` },
  ];
  return { heading: w.joinHeading, lines };
}

/**
 * Builds the confirmation of `booking` for `kind` in the booking's language. A cancellation
 * leaves out the join lines: they no longer admit anyone.
 */
export function confirmationContent(booking: Booking, join: JoinInfo, kind: NotificationKind): ConfirmationContent {
  const w = confirmationWording[booking.language];
  const details: ConfirmationLine[] = [
    { label: w.title, value: booking.title },
    { label: w.start, value: formatStart(booking) },
    { label: w.duration, value: booking.duration },
    { label: w.estimatedConnections, value: String(booking.estimatedConnections) },
    { label: w.type, value: w.typeNames[booking.type] },
    ...(booking.comment ? [{ label: w.comment, value: booking.comment }] : []),
  ];
  const sections = kind === 'cancelled' ? [] : [joinSection(join, w)];
  sections.push({ heading: w.detailsHeading, lines: details });
  return { wording: w, subject: fill(w.subject[kind], booking), intro: fill(w.intro[kind], booking), sections };
}
