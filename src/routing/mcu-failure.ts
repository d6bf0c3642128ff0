import { SipError } from '../sip';

/** The answer to a caller when no MCU is up, or the conference's MCU is down (RFC 3261 §21.5.4). */
export const NO_MCU = { status: 503, reason: 'No MCU Available' } as const;

export interface McuFailureResponse {
  status: number;
  reason: string;
  headers?: Record<string, string>;
  /** The MCU did not answer at all (timeout, transport failure): counts against its health. */
  mcuUnreachable: boolean;
}

/**
 * What the caller is told when the MCU refuses or cannot be reached. The caller's own problems are
 * passed on (488/606 the offer is not acceptable, 486/600 busy), everything else is confgate's
 * side failing: 503 with Retry-After (RFC 3261 §21.5.4), since another try may reach a healthy
 * MCU, and the MCU's status in the reason phrase for the caller's logs.
 */
export function mcuFailureResponse(err: unknown, retryAfterSeconds: number): McuFailureResponse {
  const status = err instanceof SipError ? err.status : 500;
  const unreachable = err instanceof SipError && err.res === undefined && (status === 408 || status === 503);
  if (status === 488 || status === 606) return { status: 488, reason: 'Not Acceptable Here', mcuUnreachable: false };
  if (status === 486 || status === 600) return { status: 486, reason: 'MCU Busy', mcuUnreachable: false };
  return {
    status: 503,
    reason: unreachable ? 'MCU Unreachable' : `MCU Refused (${status})`,
    headers: { 'Retry-After': String(retryAfterSeconds) },
    mcuUnreachable: unreachable,
  };
}
