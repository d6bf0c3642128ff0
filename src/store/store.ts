import type { BookingStore } from '../booking/booking-store';

/**
 * Where confgate keeps its state: Redis in production, or an in-process store when no
 * `REDIS_URL` is set. Both implement this interface and pass the same contract tests.
 */
export interface Store extends BookingStore {
  readonly kind: 'redis' | 'memory';
  /** Resolves when the store answers; rejects when it is unreachable (for `/healthz`). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
