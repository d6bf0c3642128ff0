import type { LegEnd } from '../routing/live-legs';
import { NO_MCU } from '../routing/mcu-failure';
import type { CallEnd } from './caller-leg';

/** What confgate tells a caller it hangs up itself, by why (RFC 3326 `Reason` of the BYE). */
const HANG_UP_REASONS: Readonly<Partial<Record<LegEnd, CallEnd>>> = {
  'booking-ended': { status: 410, reason: 'Conference Ended' },
  'lease-lost': { status: 503, reason: 'Participant Slot Lost' },
  kick: { status: 403, reason: 'Removed By Administrator' },
  shutdown: { status: 503, reason: 'shutting down' },
  'mcu-lost': NO_MCU,
};

/** The reason given to a caller that confgate hangs up for `cause`; none when the call simply ended. */
export function hangUpReason(cause: LegEnd): CallEnd | undefined {
  return HANG_UP_REASONS[cause];
}
