/**
 * Admission's Redis keys (`docs/admission.md` describes each). They share the store's hash tag
 * `{confgate}`, so the admission script can read a booking and its number index, and write the
 * participant, its conference's live set and the leases in one atomic step, on a Redis Cluster too.
 */
export const admissionRedisKeys = {
  /** HASH: one participant (`participantId`, `bookingId`, `number`, `source`, `callId`, `via`, `instanceId`, `joinedAt`). */
  participant: (id: string): string => `{confgate}:participant:${id}`,
  /** SET: participant ids holding a slot in a conference (a booking). */
  live: (bookingId: string): string => `{confgate}:live:${bookingId}`,
  /** STRING: present while an admin has locked the conference; expires a day after its window. */
  locked: (bookingId: string): string => `{confgate}:locked:${bookingId}`,
  /** ZSET: every participant id, scored by its lease deadline (ms). */
  leases: (): string => '{confgate}:leases',
  /** ZSET: one sliding window of failures, members unique per attempt, scored by time (ms). */
  attempts: (scope: 'source' | 'caller' | 'number', id: string): string => `{confgate}:attempts:${scope}:${id}`,
  /** STRING: set (with the window's TTL) when a limit's alert was raised, so an attack raises one alert per window. */
  alerted: (scope: 'source' | 'caller' | 'conference', id: string): string => `{confgate}:alerted:${scope}:${id}`,
  /** STREAM: alert events (`event` field: JSON of an `AttemptAlert`), capped at about 10 000 entries. */
  alerts: (): string => '{confgate}:alerts',
} as const;

/** Pub/sub channel on which each alert's JSON is published as it is raised. */
export const ALERT_CHANNEL = 'confgate:alerts';

/** The alert stream keeps about this many entries (`XADD MAXLEN ~`). */
export const ALERT_STREAM_MAX_LENGTH = 10_000;
