/**
 * Redis stream ids (`<ms>-<seq>`, https://redis.io/docs/latest/develop/data-types/streams/#entry-ids)
 * are the SSE event ids (WHATWG HTML §9.2 `Last-Event-ID`); the in-process bus mints ids of the same shape.
 */
export const STREAM_ID = /^\d{1,16}-\d{1,16}$/;

/** Negative, zero or positive as `a` is before, equal to or after `b`. */
export function compareStreamIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt) as [bigint, bigint];
  const [bm, bs] = b.split('-').map(BigInt) as [bigint, bigint];
  if (am !== bm) return am < bm ? -1 : 1;
  return as === bs ? 0 : as < bs ? -1 : 1;
}
