/** What a conference's MCU URI is built from. */
export interface McuUriFields {
  /** Conference number. */
  number: string;
  /** Booking title (URI-escaped into the template). */
  title: string;
  /** Booking id. */
  id: string;
}

/**
 * Fills an MCU URI template (`sip:{number}@mcu1.example.org`): `{number}`, `{title}`, `{id}`.
 * Every value is percent-escaped (RFC 3261 §19.1.2 / RFC 3986 §2.1), so a title with spaces,
 * `@` or `;` cannot change the URI's structure.
 */
export function expandMcuUri(template: string, fields: McuUriFields): string {
  return template.replace(/\{(number|title|id)\}/g, (_, name: keyof McuUriFields) => encodeURIComponent(fields[name]));
}

/**
 * The URI an OPTIONS ping goes to (RFC 3261 §11): the template's host part, without a user part
 * when the user part holds placeholders (a ping names no conference).
 */
export function mcuPingUri(template: string): string {
  const m = /^(sips?):(?:([^@]*)@)?(.*)$/.exec(template)!;
  const [, scheme, user, rest] = m as unknown as [string, string, string | undefined, string];
  return user === undefined || /\{/.test(user) ? `${scheme}:${rest}` : `${scheme}:${user}@${rest}`;
}
