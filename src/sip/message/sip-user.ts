import { allIn, USER } from './syntax';

/**
 * Whether `value` is a SIP URI user part (RFC 3261 §25.1 `user = 1*( unreserved / escaped /
 * user-unreserved )`): the rule the URI parser applies, for a number about to go into a URI.
 */
export function isSipUser(value: string): boolean {
  return value.length > 0 && allIn(value, USER, 0, value.length, true);
}
