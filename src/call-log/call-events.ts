import { z } from 'zod';

/** How a caller reached a conference (RFC 3261 §19.1.1 Request-URI user part, or the IVR). */
export const dialledSchema = z.enum(['ivr', 'code-only', 'direct', 'h323', 'invalid']);
/**
 * DTMF method of a caller's digits: RFC 4733 telephone-event (`rfc2833` for an H.323 caller, as
 * H.323 names it), SIP INFO, in-band tones (ITU-T Q.23/Q.24), H.245 user input `alphanumeric` or
 * `signal`, the Q.931 Keypad IE.
 */
export const dtmfMethodSchema = z.enum([
  'rfc4733',
  'rfc2833',
  'info',
  'inband',
  'h245-alphanumeric',
  'h245-signal',
  'q931-keypad',
  'none',
]);
export type LiveDtmfMethod = z.infer<typeof dtmfMethodSchema>;
export const transportSchema = z.enum(['udp', 'tcp', 'tls']);

const base = {
  /** Epoch ms at which the event happened. */
  at: z.number().int().nonnegative(),
  /** SIP Call-ID of the caller's leg (RFC 3261 §8.1.1.4). */
  callId: z.string().min(1).max(256),
  /** The confgate instance that saw it. */
  instanceId: z.string().min(1).max(128),
};

const number = z.string().regex(/^\d{1,16}$/);

/**
 * Every call event confgate publishes, one zod schema per kind (discriminated by `kind`), so a
 * subscriber on another instance checks what it receives from Redis before it trusts it.
 */
export const callEventSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('ringing'),
    ...base,
    source: z.string().min(1).max(64),
    transport: transportSchema,
    /** The caller's signalling; absent (SIP) in events of earlier versions. */
    protocol: z.enum(['sip', 'h323']).optional(),
    dialled: dialledSchema,
    displayName: z.string().max(128).optional(),
    callingNumber: z.string().max(64).optional(),
    userAgent: z.string().max(256).optional(),
  }),
  z.object({
    kind: z.literal('digits'),
    ...base,
    stage: z.enum(['number', 'code']),
    dtmf: dtmfMethodSchema,
    number: number.optional(),
  }),
  z.object({
    kind: z.literal('admitted'),
    ...base,
    participantId: z.string().min(1).max(64),
    bookingId: z.string().min(1).max(64),
    number,
  }),
  z.object({
    kind: z.literal('refused'),
    ...base,
    /** Admission's verdict (`unknown`, `wrong-code`, `full` ...) or routing's (`no-mcu`). */
    reason: z.string().min(1).max(64),
    number: number.optional(),
    source: z.string().max(64).optional(),
  }),
  z.object({
    kind: z.literal('connected'),
    ...base,
    participantId: z.string().min(1).max(64),
    bookingId: z.string().min(1).max(64),
    mcu: z.string().min(1).max(256),
  }),
  /** A connected caller whose MCU was lost, moved to another MCU (RFC 3725 §4.1 re-INVITE). */
  z.object({
    kind: z.literal('moved'),
    ...base,
    participantId: z.string().min(1).max(64),
    bookingId: z.string().min(1).max(64),
    from: z.string().min(1).max(256),
    to: z.string().min(1).max(256),
  }),
  z.object({
    kind: z.literal('ended'),
    ...base,
    /** The call record's `endedBy` (`caller`, `mcu`, `booking-ended`, `kick` ...). */
    reason: z.string().min(1).max(64),
    participantId: z.string().max(64).optional(),
    bookingId: z.string().max(64).optional(),
  }),
  z.object({
    kind: z.literal('kicked'),
    ...base,
    participantId: z.string().min(1).max(64),
    bookingId: z.string().max(64).optional(),
    by: z.string().min(1).max(64),
  }),
  z.object({
    kind: z.literal('alert'),
    ...base,
    /**
     * What was reached: admission's `too-many-attempts` (a caller's failures), `under-attack` (a
     * conference's wrong codes: it is throttled) or `attack-budget-spent` (an attacked conference
     * checks no more codes from new sources this hour), or an overload limit (`docs/sip.md`); absent in
     * events of earlier versions, which were all `too-many-attempts`.
     */
    alert: z.string().min(1).max(32).optional(),
    /** Admission's scope (`source`, `caller`, `conference`) or the limit's (`source`, `total`). */
    scope: z.string().min(1).max(32),
    subject: z.string().min(1).max(128),
    number: z.string().max(16),
    count: z.number().int(),
    limit: z.number().int(),
  }),
  /** An admin acted on a conference (lock, unlock, end, extend): viewers refresh it. */
  z.object({
    kind: z.literal('conference'),
    ...base,
    bookingId: z.string().min(1).max(64),
    action: z.enum(['lock', 'unlock', 'end', 'extend']),
    by: z.string().min(1).max(64),
  }),
  /** An MCU's OPTIONS health changed (RFC 3261 §11). */
  z.object({ kind: z.literal('mcu'), ...base, mcu: z.string().min(1).max(256), up: z.boolean() }),
  /**
   * The store (Redis) became unreachable to this instance, or reachable again. The down event
   * cannot travel on the Redis bus while Redis is down: the up event carries `downSince` so viewers
   * learn of the outage afterwards (`/healthz` and `confgate_store_up` tell it at once).
   */
  z.object({
    kind: z.literal('store'),
    ...base,
    up: z.boolean(),
    downSince: z.number().int().nonnegative().optional(),
  }),
]);

export type CallEvent = z.infer<typeof callEventSchema>;
export type CallEventKind = CallEvent['kind'];

/** A call event as stored in the stream `{confgate}:events`: its stream id is the SSE event id. */
export interface StoredCallEvent {
  id: string;
  event: CallEvent;
}

/**
 * Where call events go. The dial-in (`src/call/`) takes this one-method interface; `publish` never throws
 * and never delays the call: a lost event is logged, the call goes on.
 */
export interface CallEventSink {
  publish(event: CallEvent): void;
}

/** Parses an event received from Redis; undefined when it is not a valid call event. */
export function parseCallEvent(json: string): CallEvent | undefined {
  try {
    const r = callEventSchema.safeParse(JSON.parse(json));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}
