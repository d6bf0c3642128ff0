import type { RedisClient } from '../store/redis-connection';
import { redisKeys } from '../store/redis-keys';
import { fromFields, toFields } from './stream-fields';

/** One admin action, with who did it. */
export interface AuditEntry {
  /** Epoch ms. */
  at: number;
  /** The principal (`admin`) and where the request came from. */
  by: string;
  address: string;
  userAgent: string;
  action: 'kick' | 'lock' | 'unlock' | 'end' | 'extend';
  bookingId: string;
  number: string;
  participantId?: string;
  /** `extend`: the new duration `HH:MM`. */
  detail?: string;
}

/** Where admin actions are recorded; `record` resolves once stored (an action is not done before it is audited). */
export interface AdminAudit {
  record(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  recent(count: number): Promise<AuditEntry[]>;
}

const NUMERIC = new Set(['at']);

export class RedisAdminAudit implements AdminAudit {
  constructor(
    private readonly redis: RedisClient,
    private readonly maxLength: number,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.redis.xadd(redisKeys.audit(), 'MAXLEN', '~', String(this.maxLength), '*', ...toFields(entry));
  }

  async recent(count: number): Promise<AuditEntry[]> {
    const entries = await this.redis.xrevrange(redisKeys.audit(), '+', '-', 'COUNT', count);
    return entries.map(([, f]) => fromFields<AuditEntry>(f, NUMERIC));
  }
}

export class InProcessAdminAudit implements AdminAudit {
  private readonly entries: AuditEntry[] = [];

  constructor(private readonly maxLength: number) {}

  async record(entry: AuditEntry): Promise<void> {
    this.entries.push(entry);
    if (this.entries.length > this.maxLength) this.entries.shift();
  }

  async recent(count: number): Promise<AuditEntry[]> {
    return this.entries.slice(-count).reverse();
  }
}
