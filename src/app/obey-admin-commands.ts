import type { DialIn } from '../routing/dial-in-service';
import type { AdminCommandChannel } from '../live/admin-commands';

/**
 * Makes this process's dial-in obey admin commands from every instance: `kick` hangs up the
 * participant's call here (BYE both legs, RFC 3261 §15.1.1; the slot is released once), `end`
 * hangs up every leg of the booking held here. Resolves with the function that stops listening.
 */
export function obeyAdminCommands(
  commands: AdminCommandChannel,
  dialIn: Pick<DialIn, 'kick' | 'legs'>,
): Promise<() => Promise<void>> {
  return commands.listen({
    kick: (participantId) => dialIn.kick(participantId),
    end: (bookingId) => dialIn.legs.hangUpBooking(bookingId, 'kick'),
  });
}
