/**
 * Character classes and small scanners of the SIP grammar (RFC 3261 §25.1), shared by the
 * header-value parsers. Tables indexed by char code keep per-character work to one array read.
 */

/**
 * A syntax error found while reading a SIP message or one of its header values. It is a value
 * handed back in results (`{ ok: false, error }`), never thrown out of the public parse functions.
 * `status`/`reason` name the response a UAS sends for it (RFC 3261 §8.2, RFC 4475 §3.1.2).
 */
export class SipSyntaxError extends Error {
  override readonly name = 'SipSyntaxError';
  constructor(
    /** What is wrong, precise enough for a 400 reason phrase. */
    readonly reason: string,
    /** The response code that reports it: 400 unless stated (505, 513, 416). */
    readonly status: number = 400,
  ) {
    super(reason);
  }
}

/** A parse outcome: the value, or the syntax error that stopped it. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: SipSyntaxError };

/** Runs a reader that throws {@link SipSyntaxError} and turns the outcome into a {@link ParseResult}. */
export function attempt<T>(read: () => T): ParseResult<T> {
  try {
    return { ok: true, value: read() };
  } catch (e) {
    if (e instanceof SipSyntaxError) return { ok: false, error: e };
    throw e;
  }
}

function table(chars: string, alnum = true): Uint8Array {
  const t = new Uint8Array(128);
  if (alnum) {
    for (let c = 0x30; c <= 0x39; c++) t[c] = 1;
    for (let c = 0x41; c <= 0x5a; c++) t[c] = 1;
    for (let c = 0x61; c <= 0x7a; c++) t[c] = 1;
  }
  for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)] = 1;
  return t;
}

/** token (RFC 3261 §25.1): alphanum and `-.!%*_+`'~`. */
export const TOKEN = table("-.!%*_+`'~");
/** unreserved = alphanum / mark. */
const MARK = "-_.!~*'()";
/** user = 1*( unreserved / escaped / user-unreserved ). */
export const USER = table(MARK + '&=+$,;?/');
/** password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," ). */
export const PASSWORD = table(MARK + '&=+$,');
/** paramchar = param-unreserved / unreserved / escaped. */
export const PARAMCHAR = table(MARK + '[]/:&+$');
/** hname / hvalue = hnv-unreserved / unreserved / escaped. */
export const HNVCHAR = table(MARK + '[]/?:+$');
/**
 * Host name characters; IPv4 is a subset, IPv6 references are handled apart. `_` is outside the
 * §25.1 grammar but common in names of real equipment, so it is accepted.
 */
export const HOSTCHAR = table('-._');
/** The characters of a tel URI's number (RFC 3966 §3): digits, visual separators, `+*#` and hex for local numbers. */
export const TELCHAR = table('+-.()*#');
/** The characters RFC 3986 allows in an absoluteURI's opaque part (RFC 3261 §25.1 absoluteURI). */
export const URICHAR = table(MARK + ';/?:@&=+$,%[]#');

/** Whether every character of `s` from `from` to `to` is in table `t`, allowing `%HH` escapes when `escapes`. */
export function allIn(s: string, t: Uint8Array, from = 0, to = s.length, escapes = false): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 128 && t[c] === 1) continue;
    if (escapes && c === 0x25 && i + 2 < to + 1 && isHex(s.charCodeAt(i + 1)) && isHex(s.charCodeAt(i + 2))) {
      i += 2;
      continue;
    }
    return false;
  }
  return true;
}

/** Whether `s` is a non-empty token. */
export function isToken(s: string): boolean {
  return s.length > 0 && allIn(s, TOKEN);
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** Whether `c` is linear white space inside a header value (SP / HTAB; folding is already unfolded). */
export function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/** Index of the first non-blank character at or after `i`. */
export function skipWs(s: string, i: number): number {
  while (i < s.length && isWs(s.charCodeAt(i))) i++;
  return i;
}

/**
 * Index just past the quoted-string starting at `i` (which must be `"`), honouring quoted-pair
 * escapes (RFC 3261 §25.1); -1 if the string is not terminated (RFC 4475 §3.1.2.6 `quotbal`).
 */
export function endOfQuoted(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 0x5c) j++;
    else if (c === 0x22) return j + 1;
  }
  return -1;
}

/**
 * Splits a header value at the commas that separate list elements (RFC 3261 §7.3.1), skipping
 * commas inside quoted strings and `<...>` URIs. Returns trimmed elements; an empty element means
 * an extraneous separator (RFC 4475 §3.1.2.1).
 */
export function splitList(value: string): string[] {
  // Most values hold one element: skip the scan's allocations when there is no comma at all.
  if (value.indexOf(',') < 0) return [value.trim()];
  const out: string[] = [];
  let start = 0;
  let angle = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x22) {
      const end = endOfQuoted(value, i);
      if (end < 0) break;
      i = end - 1;
    } else if (c === 0x3c) angle = true;
    else if (c === 0x3e) angle = false;
    else if (c === 0x2c && !angle) {
      out.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(value.slice(start).trim());
  return out;
}

/** Removes the quotes and quoted-pair backslashes of a quoted-string (RFC 3261 §25.1). */
export function unquote(q: string): string {
  const inner = q.slice(1, -1);
  return inner.indexOf('\\') < 0 ? inner : inner.replace(/\\(.)/g, '$1');
}

/** Quotes a string for use as quoted-string, escaping `"` and `\`. */
export function quote(s: string): string {
  return '"' + s.replace(/["\\]/g, '\\$&') + '"';
}
