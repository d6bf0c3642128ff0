import type { LiveLegs } from '../routing/live-legs';
import type { AdminCommandChannel } from '../live/admin-commands';

/**
 * Makes this process's dial-in obey admin commands from every instance: `kick` hangs up the
 * participant's call here (BYE both legs, RFC 3261 §15.1.1; the slot is released once), `end`
 * hangs up every leg of the booking held here. Resolves with the function that stops listening.
 */
export function obeyAdminCommands(
  commands: AdminCommandChannel,
  dialIn: { kick(participantId: string): boolean; legs: Pick<LiveLegs, 'hangUpBooking'> },
): Promise<() => Promise<void>> {
  return commands.listen({
    kick: (participantId) => dialIn.kick(participantId),
    end: (bookingId) => dialIn.legs.hangUpBooking(bookingId, 'kick'),
  });
}
