import type { Booking, Organizer } from '../booking';

/** The organiser first, then the booking's recipients, each address once (compared case-insensitively). */
export function confirmationRecipients(
  booking: Pick<Booking, 'recipients'>,
  organizer: Pick<Organizer, 'email'>,
): string[] {
  const seen = new Set<string>();
  return [organizer.email, ...booking.recipients].filter((a) => {
    const key = a.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
