import type { RedisClient } from '../store/redis-connection';

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

/** STREAM of admin actions, capped (`XADD MAXLEN ~`). */
export const AUDIT_STREAM = '{confgate}:audit';

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
    const fields = Object.entries(entry).flatMap(([k, v]) => (v === undefined ? [] : [k, String(v)]));
    await this.redis.xadd(AUDIT_STREAM, 'MAXLEN', '~', String(this.maxLength), '*', ...fields);
  }

  async recent(count: number): Promise<AuditEntry[]> {
    const entries = await this.redis.xrevrange(AUDIT_STREAM, '+', '-', 'COUNT', count);
    return entries.map(([, f]) => {
      const r: Record<string, string | number> = {};
      for (let i = 0; i + 1 < f.length; i += 2) r[f[i]!] = NUMERIC.has(f[i]!) ? Number(f[i + 1]) : f[i + 1]!;
      return r as unknown as AuditEntry;
    });
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
