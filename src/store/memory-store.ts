import { MemoryBookingRepository } from './memory-booking-repository';
import { MemoryOrganizerRepository } from './memory-organizer-repository';
import type { NumberSpace } from './number-space';
import type { Store } from './store';

/**
 * The in-process store used when no `REDIS_URL` is set: nothing survives a restart and
 * nothing is shared with another confgate instance.
 */
export function createMemoryStore(numbers: NumberSpace): Store {
  return {
    kind: 'memory',
    bookings: new MemoryBookingRepository(numbers),
    organizers: new MemoryOrganizerRepository(),
    ping: async () => undefined,
    close: async () => undefined,
  };
}
