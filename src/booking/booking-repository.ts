import type { Booking } from './booking';

/**
 * The interval, in epoch ms (inclusive), during which a booking holds its conference number:
 * start − early-join margin to end + grace. Two active bookings whose windows overlap never
 * share a number.
 */
export interface BookingWindow {
  start: number;
  end: number;
}

/** Bounds on a booking's end instant (`endsAt`, epoch ms), for "upcoming" and "past" lists. */
export interface EndsWithin {
  /** Inclusive. */
  from?: number;
  /** Exclusive. */
  before?: number;
}

/** Bookings, indexed by id, organiser and conference number. */
export interface BookingRepository {
  /**
   * Saves a new, active booking with a conference number allocated atomically: random, and free
   * in `window`. Throws `NoFreeNumberError` when none is, `StaleBookingError` if the id exists.
   */
  create(booking: Omit<Booking, 'number'>, window: BookingWindow): Promise<Booking>;
  /**
   * Replaces a booking, compare-and-set: the stored booking must have `sequence` equal to
   * `booking.sequence - 1` (else `StaleBookingError`). An active booking keeps its number unless
   * another booking holds it in the new window, then gets a new one (`NoFreeNumberError` if none).
   * A cancelled booking is kept, with its number, but no longer holds it.
   */
  update(booking: Omit<Booking, 'number'>, window: BookingWindow): Promise<Booking>;
  get(id: string): Promise<Booking | undefined>;
  /** An organiser's bookings, active and cancelled, by start. */
  listByOrganizer(organizerId: string, ends?: EndsWithin): Promise<Booking[]>;
  /** Every booking, by start (for the admin). */
  listAll(ends?: EndsWithin): Promise<Booking[]>;
  /** The active booking holding conference `number` at instant `at` (epoch ms), window included. */
  findActiveByNumberAt(number: string, at: number): Promise<Booking | undefined>;
}
