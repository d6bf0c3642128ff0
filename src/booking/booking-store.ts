import type { BookingRepository } from './booking-repository';
import type { OrganizerRepository } from './organizer-repository';

/**
 * What the booking use cases need from the store: its bookings and its organisers. Owned here so
 * that `store/` implements booking's ports and booking never imports the store.
 */
export interface BookingStore {
  readonly bookings: BookingRepository;
  readonly organizers: OrganizerRepository;
}
