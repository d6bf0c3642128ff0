import type { Logger } from '../log/logger';
import type { RedisClient } from '../store/redis-connection';
import { redisKeys } from '../store/redis-keys';

/** One call, as written when it ends (fields are strings in the Redis stream; absent ones are left out). */
export interface CallRecord {
  callId: string;
  /** Epoch ms of the INVITE. */
  startedAt: number;
  /** Signalling source address and the caller's number (From user part). */
  source: string;
  /** The caller's signalling: `sip` or `h323` (H.323 §8); absent in records written before it was kept. */
  protocol?: 'sip' | 'h323';
  callingNumber?: string;
  /** How the call was dialled: `ivr` (conf@ / bare IP), `code-only` (5387@), `direct` (5387*8688@). */
  dialled: 'ivr' | 'code-only' | 'direct' | 'invalid';
  /** DTMF method of the first digit (IVR calls), `none` when no digit came. */
  dtmf?: string;
  /** Conference number entered or dialled. */
  number?: string;
  /** `admitted` or the refusal (`unknown`, `wrong-code`, `full` ...), or what stopped the call before admission. */
  verdict: string;
  mcu?: string;
  participantId?: string;
  /** INVITE to connection with the MCU (ms); absent if never connected. */
  setupMs?: number;
  /** Connected time (ms). */
  connectedMs?: number;
  /** Whole call (ms). */
  durationMs: number;
  /** What ended it: `caller`, `mcu`, `booking-ended`, `lease-lost`, `kick`, `shutdown`, `refused`, `cancel`, `mcu-failure` ... */
  endedBy: string;
  /** Final SIP status sent to the caller, when the call was refused or failed before an answer. */
  sipStatus?: number;
}

/** Where call records go. Writing never throws: a lost record is logged, the call is unaffected. */
export interface CallRecordSink {
  write(record: CallRecord): void;
  /** The newest records first (for tests and the admin). */
  recent(count: number): Promise<CallRecord[]>;
}

function toFields(record: CallRecord): string[] {
  return Object.entries(record).flatMap(([k, v]) => (v === undefined ? [] : [k, String(v)]));
}

const NUMERIC = new Set(['startedAt', 'setupMs', 'connectedMs', 'durationMs', 'sipStatus']);

function fromFields(fields: string[]): CallRecord {
  const r: Record<string, string | number> = {};
  for (let i = 0; i + 1 < fields.length; i += 2)
    r[fields[i]!] = NUMERIC.has(fields[i]!) ? Number(fields[i + 1]) : fields[i + 1]!;
  return r as unknown as CallRecord;
}

/** Call records appended to the Redis stream `{confgate}:calls`, trimmed to about `retention` entries. */
export class RedisCallRecordSink implements CallRecordSink {
  constructor(
    private readonly redis: RedisClient,
    private readonly retention: number,
    private readonly log: Logger,
  ) {}

  write(record: CallRecord): void {
    this.redis
      .xadd(redisKeys.callRecords(), 'MAXLEN', '~', String(this.retention), '*', ...toFields(record))
      .catch((err: unknown) => {
        this.log.error({ err, callId: record.callId }, 'call record not written');
      });
  }

  async recent(count: number): Promise<CallRecord[]> {
    const entries = await this.redis.xrevrange(redisKeys.callRecords(), '+', '-', 'COUNT', count);
    return entries.map(([, fields]) => fromFields(fields));
  }
}

/** Call records in a ring buffer of `retention` entries (no Redis: one instance, lost on restart). */
export class MemoryCallRecordSink implements CallRecordSink {
  private readonly ring: CallRecord[] = [];
  private next = 0;

  constructor(private readonly retention: number) {}

  write(record: CallRecord): void {
    if (this.ring.length < this.retention) this.ring.push(record);
    else this.ring[this.next] = record;
    this.next = (this.next + 1) % this.retention;
  }

  async recent(count: number): Promise<CallRecord[]> {
    const ordered =
      this.ring.length < this.retention
        ? [...this.ring]
        : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
    return ordered.reverse().slice(0, count);
  }
}
