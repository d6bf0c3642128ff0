import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new organiser bearer token: 256 random bits, base64url. Shown once, never stored. */
export function newOrganizerToken(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 (hex) of a token: what the store keeps and looks tokens up by. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Compares a presented token with the expected one in constant time. Both are hashed first so
 * the comparison neither leaks the expected length nor depends on where the first difference is.
 */
export function tokensEqual(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}
