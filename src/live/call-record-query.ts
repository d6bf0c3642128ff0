import type { CallRecord, CallRecordSink } from '../call-log/call-record';
import type { RedisClient } from '../store/redis-connection';
import { redisKeys } from '../store/redis-keys';
import { fromFields } from './stream-fields';

/** Call records in a time range (when each was written, i.e. when its call ended), oldest first. */
export interface CallRecordQuery {
  between(fromMs: number, toMs: number, limit: number): Promise<CallRecord[]>;
}

const NUMERIC = new Set(['startedAt', 'setupMs', 'connectedMs', 'durationMs', 'sipStatus']);

/** Reads ROUTING's stream `{confgate}:calls` by id range: a stream id starts with its write time in ms. */
export class RedisCallRecordQuery implements CallRecordQuery {
  constructor(private readonly redis: RedisClient) {}

  async between(fromMs: number, toMs: number, limit: number): Promise<CallRecord[]> {
    const entries = await this.redis.xrange(
      redisKeys.callRecords(),
      `${fromMs}-0`,
      `${toMs}-18446744073709551615`,
      'COUNT',
      limit,
    );
    return entries.map(([, f]) => fromFields<CallRecord>(f, NUMERIC));
  }
}

/** In-process records (a dial-in's `MemoryCallRecordSink`): filtered by the call's end (start + duration). */
export class SinkCallRecordQuery implements CallRecordQuery {
  constructor(private readonly sink: Pick<CallRecordSink, 'recent'>) {}

  async between(fromMs: number, toMs: number, limit: number): Promise<CallRecord[]> {
    const all = await this.sink.recent(Number.MAX_SAFE_INTEGER);
    return all
      .filter((r) => r.startedAt + r.durationMs >= fromMs && r.startedAt + r.durationMs <= toMs)
      .reverse()
      .slice(0, limit);
  }
}

/** Columns of the CSV export, in order (every `CallRecord` field). */
export const CALL_RECORD_COLUMNS: ReadonlyArray<keyof CallRecord> = [
  'callId',
  'startedAt',
  'source',
  'callingNumber',
  'dialled',
  'dtmf',
  'number',
  'verdict',
  'mcu',
  'participantId',
  'setupMs',
  'connectedMs',
  'durationMs',
  'endedBy',
  'sipStatus',
];

/** RFC 4180 field: quoted when it holds a comma, quote or line break; a leading `=+-@` is prefixed with `'` so a spreadsheet does not run it. */
function csvField(value: CallRecord[keyof CallRecord]): string {
  let s = value === undefined || value === null ? '' : String(value);
  if (/^[=+\-@]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Call records as CSV (RFC 4180: CRLF line ends, header row); `startedAt` also as ISO 8601. */
export function callRecordsCsv(records: readonly CallRecord[]): string {
  const header = [...CALL_RECORD_COLUMNS, 'startedAtIso'].join(',');
  const rows = records.map((r) =>
    [...CALL_RECORD_COLUMNS.map((c) => csvField(r[c])), new Date(r.startedAt).toISOString()].join(','),
  );
  return [header, ...rows].join('\r\n') + '\r\n';
}
