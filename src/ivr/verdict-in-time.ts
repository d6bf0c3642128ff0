import type { Logger } from '../log/logger';

/** What a lookup or admission counts as when it fails or does not answer in time. */
export const UNAVAILABLE = { kind: 'unavailable' } as const;

/**
 * Waits for an admission's answer (a lookup or an admission verdict) and hands it to `deliver`
 * once: `unavailable` instead when it fails or takes longer than `timeoutMs`, so no caller waits
 * on a stuck Redis. Returns the function that stops waiting (nothing is delivered after it).
 */
export function verdictInTime<V>(
  pending: Promise<V>,
  timeoutMs: number,
  log: Pick<Logger, 'warn' | 'error'>,
  callId: string,
  deliver: (verdict: V | typeof UNAVAILABLE) => void,
): () => void {
  let settled = false;
  const settle = (verdict: V | typeof UNAVAILABLE): void => {
    if (settled) return;
    settled = true;
    clearTimeout(deadline);
    deliver(verdict);
  };
  const deadline = setTimeout(() => {
    log.warn({ callId }, 'admission did not answer in time');
    settle(UNAVAILABLE);
  }, timeoutMs);
  pending.then(settle, (error: unknown) => {
    log.error({ err: error, callId }, 'admission failed');
    settle(UNAVAILABLE);
  });
  return () => {
    settled = true;
    clearTimeout(deadline);
  };
}
