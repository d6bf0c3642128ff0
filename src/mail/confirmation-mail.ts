import type { OutgoingMail } from './outgoing-mail';
import type { Booking, Organizer } from '../booking/booking';
import type { NotificationKind } from '../booking/booking-notifier';
import { joinInfo, type JoinSettings } from '../booking/join-info';
import { confirmationContent } from '../booking/confirmation/confirmation-content';
import { calendarMethod, confirmationIcs } from '../booking/confirmation/confirmation-ics';
import { confirmationRecipients } from '../booking/confirmation/confirmation-recipients';
import { renderConfirmationHtml, renderConfirmationText } from '../booking/confirmation/render-confirmation';

/** Composes the confirmation mail of a booking: text, HTML and, if the booking asks for it, the .ics. */
export function confirmationMail(
  booking: Booking,
  organizer: Organizer,
  kind: NotificationKind,
  settings: JoinSettings,
  now: Date,
): OutgoingMail {
  const join = joinInfo(booking, settings);
  const content = confirmationContent(booking, join, kind);
  const text = renderConfirmationText(content);
  const mail: OutgoingMail = {
    to: confirmationRecipients(booking, organizer),
    replyTo: organizer.email,
    subject: content.subject,
    text,
    html: renderConfirmationHtml(content, booking.language),
  };
  if (booking.calendarInvite) {
    mail.calendar = {
      method: calendarMethod(kind),
      content: confirmationIcs({ booking, organizer, join, kind, description: text, now }),
    };
  }
  return mail;
}
