import { z } from 'zod';

/**
 * Where the IVR starts for a call, decided by the Request-URI's user part:
 * - `ivr`: `conf@host` or no user at all (the bare IP) → ask the number, then the code;
 * - `code-only`: `5387@host` → ask the code only;
 * - `direct`: `5387*8688@host`, `5387.8688@host`, Polycom-style `5387$$8688@host` → no IVR.
 */
export type DialTarget =
  { kind: 'ivr' } | { kind: 'code-only'; number: string } | { kind: 'direct'; number: string; code: string };

/**
 * A user part that names no conference. The SIP layer answers `status` with `reason` as its
 * reason phrase: 484 Address Incomplete (RFC 3261 §21.4.22) when digits are missing, else
 * 404 Not Found (§21.4.5).
 */
export interface DialTargetRejection {
  status: 404 | 484;
  reason: string;
}

export type DialTargetResult = { ok: true; target: DialTarget } | ({ ok: false } & DialTargetRejection);

export interface DialPlan {
  /** Digits of a conference number (`booking.numberLength`). */
  numberLength: number;
}

/** User parts that mean "let me key in the number" (compared case-insensitively). */
const IVR_USERS = new Set(['conf']);

/** Access codes are 1000–9999 (RENAvisio), keyed as four digits. */
const ACCESS_CODE_LENGTH = 4;

/** Number and code in one user part, separated by `*`, `.` or `$$` (what Polycom room systems send). */
const NUMBER_AND_CODE = /^([^*.$]*)(?:\*|\.|\$\$)([^*.$]*)$/;

/** Built once per field and length: building a zod schema costs more than the rest of the parse, on every INVITE. */
const digitsSchemas = new Map<string, z.ZodString>();

function digitsSchema(what: string, length: number): z.ZodString {
  const key = `${what}/${length}`;
  let schema = digitsSchemas.get(key);
  if (!schema) {
    schema = buildDigitsSchema(what, length);
    digitsSchemas.set(key, schema);
  }
  return schema;
}

function buildDigitsSchema(what: string, length: number): z.ZodString {
  return z
    .string()
    .regex(/^[0-9]*$/, `the ${what} has characters other than digits`)
    .min(length, `the ${what} is incomplete: ${length} digits expected`)
    .max(length, `the ${what} is too long: ${length} digits expected`);
}

function check(schema: z.ZodString, value: string): DialTargetRejection | undefined {
  const result = schema.safeParse(value);
  if (result.success) return undefined;
  // Only a short but otherwise valid string is "incomplete": a caller may try again with more digits.
  const incomplete = result.error.issues.every((issue) => issue.code === 'too_small');
  return { status: incomplete ? 484 : 404, reason: result.error.issues[0]!.message };
}

/**
 * Parses a Request-URI user part (RFC 3261 §19.1.1), as received: percent-escapes such as
 * `%2A` or `%24%24` are decoded, and user parameters after `;` (e.g. `;phone-context=`) ignored.
 * Never throws: anything that is not a dial form is a {@link DialTargetRejection}.
 */
export function parseDialTarget(user: string | undefined, plan: DialPlan): DialTargetResult {
  let decoded: string;
  try {
    decoded = decodeURIComponent((user ?? '').split(';')[0]!);
  } catch {
    return { ok: false, status: 404, reason: 'the user part has a malformed percent-escape' };
  }
  if (decoded === '' || IVR_USERS.has(decoded.toLowerCase())) return { ok: true, target: { kind: 'ivr' } };
  const numberSchema = digitsSchema('conference number', plan.numberLength);
  const pair = NUMBER_AND_CODE.exec(decoded);
  if (!pair) {
    const rejection = check(numberSchema, decoded);
    return rejection ? { ok: false, ...rejection } : { ok: true, target: { kind: 'code-only', number: decoded } };
  }
  const [, number, code] = pair as unknown as [string, string, string];
  const rejection = check(numberSchema, number) ?? check(digitsSchema('access code', ACCESS_CODE_LENGTH), code);
  return rejection ? { ok: false, ...rejection } : { ok: true, target: { kind: 'direct', number, code } };
}
