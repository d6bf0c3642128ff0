import { z } from 'zod';

/**
 * Input checks at admission's boundary. Numbers and codes come from a caller's keypad or
 * Request-URI; the source from the SIP or H.323 layer. Whatever fails a check is answered with a
 * verdict and never reaches Redis: no key is ever named after a caller's garbage.
 */

/** Conference numbers and access codes: digits, and short (an IVR entry is bounded by `ivr.maxDigits` anyway). */
export const digitsSchema = z.string().regex(/^[0-9]{1,16}$/);

export const callerSchema = z.object({
  /** An IPv4 or IPv6 address (with an optional zone), as the transport saw it. */
  address: z
    .string()
    .min(2)
    .max(64)
    .regex(/^[0-9A-Za-z.:%_-]+$/),
  /** SIP Call-ID (RFC 3261 §25.1 `callid`: word characters, optionally `@host`) or an H.323 call identifier. */
  callId: z
    .string()
    .min(1)
    .max(256)
    .regex(/^[\x21-\x7e]+$/),
  /**
   * The calling party's number (SIP From user part, H.225 calling party number), when known. The
   * caller chose it: one that is not a plain short string is dropped, not refused.
   */
  callingNumber: z.string().max(64).optional().catch(undefined),
});

export type CheckedCaller = z.infer<typeof callerSchema>;

export const viaSchema = z.enum(['ivr', 'direct-dial']);

/** The conference number if it is one, else undefined (answered `unknown` without asking the store). */
export function checkedNumber(value: unknown): string | undefined {
  const r = digitsSchema.safeParse(value);
  return r.success ? r.data : undefined;
}

/** The code if it is digits, else '' (which never matches: the caller hears "wrong code"). */
export function checkedCode(value: unknown): string {
  const r = digitsSchema.safeParse(value);
  return r.success ? r.data : '';
}

export function checkedCaller(value: unknown): CheckedCaller | undefined {
  const r = callerSchema.safeParse(value);
  return r.success ? r.data : undefined;
}
