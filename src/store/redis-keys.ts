/**
 * Every Redis key the store writes, spelled in full (no ioredis `keyPrefix`); `docs/store.md`
 * describes each one. All keys share the hash tag `{confgate}` so that, on a Redis Cluster, a
 * booking, its number index and its organiser index live in one slot and the allocation script
 * can touch them atomically (a Cluster refuses multi-key scripts across slots).
 */
export const redisKeys = {
  /** HASH: `data` (booking JSON without `number`), `number`, `organizerId`, `status`, `windowStart`, `windowEnd` (ms). */
  booking: (id: string): string => `{confgate}:booking:${id}`,
  /** ZSET: ids of active bookings holding conference number `number`, scored by window end (ms). */
  number: (number: string): string => `{confgate}:number:${number}`,
  /** ZSET: ids of an organiser's bookings (active and cancelled), scored by `endsAt` (ms). */
  organizerBookings: (organizerId: string): string => `{confgate}:organizer:${organizerId}:bookings`,
  /** ZSET: every booking id (active and cancelled), scored by `endsAt` (ms). */
  allBookings: (): string => '{confgate}:bookings',
  /** STRING: organiser JSON (with `tokenHash`, never the token). */
  organizer: (id: string): string => `{confgate}:organizer:${id}`,
  /** STRING: organiser id for a token's SHA-256 (hex). */
  organizerToken: (tokenHash: string): string => `{confgate}:organizer-token:${tokenHash}`,
  /** ZSET: every organiser id, scored by creation time (ms). */
  organizers: (): string => '{confgate}:organizers',
  /**
   * STRING: id of the MCU hosting the booking's conference; expires with the booking's window.
   * Written by routing's placement, read by admission too (it tells routing where an admitted
   * caller's conference already is, in the same step).
   */
  placement: (bookingId: string): string => `{confgate}:placement:${bookingId}`,
} as const;
