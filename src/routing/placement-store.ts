import type { McuConfig } from '../config/config-schema';

/** An MCU of the pool with the id it is known by in Redis and logs (`mcu1`, `mcu2`, ... by configuration order). */
export interface PoolMcu extends McuConfig {
  id: string;
}

/** Where a conference goes, and the booking facts routing needs (read in the same step). */
export type Placement =
  | { kind: 'placed'; mcuId: string; title: string; number: string; bookingId: string }
  /** Its MCU is down and other legs are still on it: a new leg cannot go elsewhere without splitting the conference. */
  | { kind: 'mcu-down'; mcuId: string }
  /** No MCU is up. */
  | { kind: 'no-mcu' }
  /** The booking vanished between admission and placement. */
  | { kind: 'no-booking' };

export interface PlacementRequest {
  bookingId: string;
  /** The participant being placed (it does not count as a leg already on the conference's MCU). */
  participantId: string;
  /** The MCUs that are up now, in configuration order. */
  up: readonly PoolMcu[];
  now: number;
  /**
   * The conference's MCU was lost under live legs, which are being moved off it: the conference is
   * placed again whatever legs are still on it, unless another instance moved it already (its new
   * MCU is up: followed). Absent, a down MCU with other live legs gives `mcu-down`.
   */
  lost?: string;
}

/**
 * Records which MCU hosts each conference (placed when its first participant is admitted, kept
 * for every later leg) and how many ports each MCU has reserved. One atomic step per call:
 * a Lua script on Redis (shared by every instance), or synchronous code in one process.
 */
export interface PlacementStore {
  place(request: PlacementRequest): Promise<Placement>;
}
