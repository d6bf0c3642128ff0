import type { SipResponse } from './sip-message';

/**
 * A request that ended without success: a final non-2xx response (`status` and the response
 * itself), or a local failure (408 for a transaction timeout, 503 for a transport error, as
 * RFC 3261 §8.1.3.1 tells a UAC to treat them).
 */
export class SipError extends Error {
  override readonly name = 'SipError';
  constructor(
    readonly status: number,
    readonly reason: string,
    readonly res?: SipResponse,
  ) {
    super(`${status} ${reason}`);
  }
}
