import type { BookingRepository } from './booking-repository';
import type { OrganizerRepository } from './organizer-repository';

export type { BookingRepository, BookingWindow, EndsWithin } from './booking-repository';
export type { OrganizerRepository } from './organizer-repository';

/**
 * Where confgate keeps its state: Redis in production, or an in-process store when no
 * `REDIS_URL` is set. Both implement this interface and pass the same contract tests.
 */
export interface Store {
  readonly kind: 'redis' | 'memory';
  readonly bookings: BookingRepository;
  readonly organizers: OrganizerRepository;
  /** Resolves when the store answers; rejects when it is unreachable (for `/healthz`). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
