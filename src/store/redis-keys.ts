/**
 * Every Redis key confgate writes, spelled in full here and nowhere else (no ioredis `keyPrefix`):
 * what an operator sees in `redis-cli` is what this file says. `docs/store.md` describes each key.
 *
 * All keys but the mail queue's share the hash tag `{confgate}` so that, on a Redis Cluster, a
 * booking, its number index, admission's participants and locks, and the placement live in one
 * slot, and the Lua scripts that touch several of them stay atomic (a Cluster refuses multi-key
 * scripts across slots). The mail queue has its own tag `{confgate:mail}`: its scripts touch only
 * its own keys. Scripts get the keys they know up front in `KEYS[]`; for keys they derive from ids
 * they read (a number's holders, a conference's participants), they get the prefix (`key('')`) in
 * `ARGV`, so no script spells a key name either.
 */
export const redisKeys = {
  // Bookings and organisers (store/).
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

  // Placement (routing/): where each conference runs.
  /**
   * STRING: id of the MCU hosting the booking's conference; expires with the booking's window.
   * Written by routing's placement, read by admission too (it tells routing where an admitted
   * caller's conference already is, in the same step).
   */
  placement: (bookingId: string): string => `{confgate}:placement:${bookingId}`,
  /** ZSET: bookings placed on the MCU, scored by window end (ms). */
  mcuConferences: (mcuId: string): string => `{confgate}:mcu-conferences:${mcuId}`,
  /** HASH: booking id → ports it reserves on the MCU (`estimatedConnections`). */
  mcuPorts: (mcuId: string): string => `{confgate}:mcu-ports:${mcuId}`,

  // Admission (admission/, docs/admission.md).
  /** HASH: one participant (`participantId`, `bookingId`, `number`, `source`, `callId`, `via`, `instanceId`, `joinedAt`). */
  participant: (id: string): string => `{confgate}:participant:${id}`,
  /** SET: participant ids holding a slot in a conference (a booking). */
  live: (bookingId: string): string => `{confgate}:live:${bookingId}`,
  /** STRING: present while an admin has locked the conference; expires a day after its window. */
  locked: (bookingId: string): string => `{confgate}:locked:${bookingId}`,
  /** ZSET: every participant id, scored by its lease deadline (ms): renewed by its instance, the instance's heartbeat. */
  leases: (): string => '{confgate}:leases',
  /**
   * ZSET: ids of participants whose slot was taken from their instance (reaped, or released by
   * another instance), scored by when (ms); kept a day. That instance ends the call, not re-asserts it.
   */
  revoked: (): string => '{confgate}:revoked',
  /**
   * ZSET: one sliding window of failures, members unique per attempt, scored by time (ms); `new-sources`:
   * a conference number's attack budget spent (wrong codes from sources not proven while it was attacked).
   */
  attempts: (scope: 'source' | 'caller' | 'number' | 'new-sources', id: string): string =>
    `{confgate}:attempts:${scope}:${id}`,
  /** STRING: set (with the window's TTL) when a limit's alert was raised, so an attack raises one alert per window. */
  alerted: (scope: 'source' | 'caller' | 'conference' | 'attack-budget', id: string): string =>
    `{confgate}:alerted:${scope}:${id}`,
  /** STRING: set (with `admission.provenSourceDays` as TTL) when a source or gateway caller is admitted: it is then not "new" on an attacked conference. */
  proven: (scope: 'source' | 'caller', id: string): string => `{confgate}:proven:${scope}:${id}`,
  /** STREAM: alert events (`event` field: JSON of an `AttemptAlert`), capped at about 10 000 entries. */
  alerts: (): string => '{confgate}:alerts',

  // The live view (live/, docs/live.md) and call records.
  /** STREAM: call events, the SSE replay buffer (`XADD MAXLEN ~ live.eventStreamMaxLength`). */
  events: (): string => '{confgate}:events',
  /** STREAM: admin actions, capped (`XADD MAXLEN ~ live.auditMaxLength`). */
  audit: (): string => '{confgate}:audit',
  /** HASH: a call still in the IVR (not admitted yet); expires with its lease. */
  ivrCall: (callId: string): string => `{confgate}:ivr-call:${callId}`,
  /** ZSET: Call-IDs of calls in the IVR, scored by lease deadline (ms). */
  ivrCalls: (): string => '{confgate}:ivr-calls',
  /** HASH: the detail of an admitted participant, by participant id; deleted when the call ends. */
  participantDetail: (participantId: string): string => `{confgate}:participant-detail:${participantId}`,
  /** STREAM: call records (`XADD MAXLEN ~ routing.callRecordRetention`). */
  callRecords: (): string => '{confgate}:calls',

  // The confirmation mail queue (mail/, docs/mail.md).
  /** ZSET: ids of unfinished mail jobs, scored by the time (ms) they may next be claimed. */
  mailDue: (): string => '{confgate:mail}:due',
  /** HASH: one mail job (`mail` JSON while unfinished, `state`, `attempts`, `claim`, times in ms, `lastError`). */
  mailJob: (jobId: string): string => `{confgate:mail}:job:${jobId}`,
  /** STRING: id of a booking's latest mail job, whose state is the booking's mail status. */
  mailLatest: (bookingId: string): string => `{confgate:mail}:latest:${bookingId}`,
} as const;

/** Pub/sub channels (not keys: a channel belongs to no slot, so no hash tag). */
export const redisChannels = {
  /** Each brute-force alert's JSON, as admission raises it. */
  alerts: 'confgate:alerts',
  /** Each call event, `<stream id> <JSON>`, for every instance's viewers. */
  events: 'confgate:events',
  /** Admin commands (kick, end) for whichever instance holds the legs. */
  commands: 'confgate:commands',
} as const;
