/** Every conference number of the space is held by an active booking whose window overlaps. */
export class NoFreeNumberError extends Error {
  constructor() {
    super('no conference number is free for this time window');
    this.name = 'NoFreeNumberError';
  }
}

/**
 * The booking changed since it was read (its stored `sequence` is not the one the update builds
 * on), or it does not exist. Edits are compare-and-set on `sequence` so two concurrent edits
 * cannot silently overwrite each other.
 */
export class StaleBookingError extends Error {
  constructor(
    readonly bookingId: string,
    reason: 'changed' | 'missing' | 'exists',
  ) {
    super(
      `booking ${bookingId}: ${reason === 'changed' ? 'changed by someone else' : reason === 'missing' ? 'not found' : 'already exists'}`,
    );
    this.name = 'StaleBookingError';
  }
}
