import type { RedisClient } from '../store/redis-connection';
import { redisKeys } from '../store/redis-keys';

/** Whether an admin has locked a conference (admission holds the flag; this only reads it). */
export interface LockReader {
  isLocked(bookingId: string): Promise<boolean>;
  /** Told of each lock change made through the admin API (the in-process reader keeps them; Redis needs no copy). */
  noteLocked(bookingId: string, locked: boolean): void;
}

/** Reads admission's lock flag `{confgate}:locked:<bookingId>` (docs/admission.md). */
export class RedisLockReader implements LockReader {
  constructor(private readonly redis: RedisClient) {}

  async isLocked(bookingId: string): Promise<boolean> {
    return (await this.redis.exists(redisKeys.locked(bookingId))) === 1;
  }

  noteLocked(): void {}
}

/**
 * Without Redis there is one instance and every lock goes through its admin API, so the flags
 * it set are the truth (the in-process admission engine keeps its own copy private).
 */
export class InProcessLockReader implements LockReader {
  private readonly locked = new Set<string>();

  async isLocked(bookingId: string): Promise<boolean> {
    return this.locked.has(bookingId);
  }

  noteLocked(bookingId: string, locked: boolean): void {
    if (locked) this.locked.add(bookingId);
    else this.locked.delete(bookingId);
  }
}
