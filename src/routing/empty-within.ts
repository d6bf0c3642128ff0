/**
 * Resolves when `empty` does, or after `timeoutMs` at the latest: calls hung up at a stop end when
 * their BYE is answered, and a peer that never answers (RFC 3261 §17.1.2.2, Timer F: 32 s) must not
 * hold the stop.
 */
export async function emptyWithin(empty: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([empty, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
  clearTimeout(timer);
}
