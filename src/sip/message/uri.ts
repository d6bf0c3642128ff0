import { isIPv4, isIPv6 } from 'node:net';
import { uriHost } from './host';
import { Params, readUriParams, hasWs } from './params';
import {
  SipSyntaxError,
  type ParseResult,
  attempt,
  USER,
  PASSWORD,
  HOSTCHAR,
  HNVCHAR,
  TELCHAR,
  URICHAR,
  allIn,
} from './syntax';

/** The URI schemes confgate routes; any other scheme in a Request-URI gets 416 (RFC 3261 §8.2.2.1). */
export const SUPPORTED_SCHEMES: ReadonlySet<string> = new Set(['sip', 'sips', 'tel']);

/**
 * A URI as used in SIP: a SIP or SIPS URI (RFC 3261 §19.1) with user, password, host, port,
 * parameters and headers; a tel URI (RFC 3966) whose number is `user` and whose host is empty; or
 * any other absoluteURI (`http:`, `mailto:`, ...) kept whole in `opaque`.
 *
 * `host` is stored without the brackets of an IPv6 reference (RFC 5118 §4): `sip:[::1]:5060` has
 * host `::1`; {@link Uri.toString} puts the brackets back. Mutable: build one, change it, serialize.
 */
export class Uri {
  /** Lower-case scheme: `sip`, `sips`, `tel`, or another. */
  scheme: string;
  user: string | undefined;
  password: string | undefined;
  host: string;
  port: number | undefined;
  readonly params: Params;
  /** URI headers (`?name=value&...`, §19.1.1), names and values as written (still %-escaped). */
  readonly headers: Array<[string, string]>;
  /** The part after `scheme:` for schemes other than sip/sips/tel. */
  opaque: string | undefined;

  constructor(init: {
    scheme?: string;
    user?: string;
    password?: string;
    host?: string;
    port?: number;
    params?: Params | Record<string, string | null>;
    headers?: Array<[string, string]>;
    opaque?: string;
  }) {
    this.scheme = (init.scheme ?? 'sip').toLowerCase();
    this.user = init.user;
    this.password = init.password;
    this.host = init.host ?? '';
    this.port = init.port;
    if (init.params instanceof Params) this.params = init.params;
    else {
      this.params = new Params();
      for (const [k, v] of Object.entries(init.params ?? {})) this.params.set(k, v);
    }
    this.headers = init.headers ?? [];
    this.opaque = init.opaque;
  }

  /** Whether this is a SIP or SIPS URI. */
  get isSip(): boolean {
    return this.scheme === 'sip' || this.scheme === 'sips';
  }

  /** `host` as it appears in a URI or Via: IPv6 addresses in brackets (RFC 5118 §4.1). */
  get hostRef(): string {
    return uriHost(this.host);
  }

  /** The `transport` parameter, lower-cased, if any (§19.1.1). */
  get transport(): string | undefined {
    const t = this.params.get('transport');
    return t ? t.toLowerCase() : undefined;
  }

  toString(): string {
    if (this.opaque !== undefined) return this.scheme + ':' + this.opaque;
    let s = this.scheme + ':';
    if (this.user !== undefined) {
      s += this.user;
      if (this.password !== undefined) s += ':' + this.password;
      if (this.scheme !== 'tel') s += '@';
    }
    if (this.scheme !== 'tel') {
      s += this.hostRef;
      if (this.port !== undefined) s += ':' + this.port;
    }
    s += this.params.toString();
    for (let i = 0; i < this.headers.length; i++)
      s += (i === 0 ? '?' : '&') + this.headers[i][0] + '=' + this.headers[i][1];
    return s;
  }

  clone(): Uri {
    return new Uri({
      scheme: this.scheme,
      user: this.user,
      password: this.password,
      host: this.host,
      port: this.port,
      params: this.params.clone(),
      headers: this.headers.map(([n, v]) => [n, v] as [string, string]),
      opaque: this.opaque,
    });
  }
}

/**
 * Parses a URI (RFC 3261 §19.1, §25.1; RFC 3966 for tel; RFC 5118 for IPv6 references).
 * Never throws: a malformed URI comes back as `{ ok: false }` with the reason.
 */
export function parseUri(text: string): ParseResult<Uri> {
  return attempt(() => readUri(text));
}

/** {@link parseUri} for internal callers that propagate {@link SipSyntaxError} by throwing. */
export function readUri(text: string): Uri {
  if (text.length === 0) throw new SipSyntaxError('Empty URI');
  if (hasWs(text)) throw new SipSyntaxError('White space inside URI');
  const colon = text.indexOf(':');
  if (colon <= 0) throw new SipSyntaxError('URI without scheme');
  const scheme = text.slice(0, colon).toLowerCase();
  if (!/^[a-z][a-z0-9+.-]*$/.test(scheme)) throw new SipSyntaxError('Bad URI scheme');
  if (scheme === 'sip' || scheme === 'sips') return readSipUri(text, scheme, colon + 1);
  if (scheme === 'tel') return readTelUri(text, colon + 1);
  const opaque = text.slice(colon + 1);
  if (opaque.length === 0 || !allIn(opaque, URICHAR)) throw new SipSyntaxError(`Bad ${scheme} URI`);
  return new Uri({ scheme, opaque });
}

function readSipUri(text: string, scheme: string, i: number): Uri {
  const uri = new Uri({ scheme });
  // '@' cannot appear unescaped after the userinfo, so the first one ends it (§25.1 userinfo).
  const at = text.indexOf('@', i);
  if (at >= 0) {
    const pw = text.indexOf(':', i);
    const userEnd = pw >= 0 && pw < at ? pw : at;
    if (userEnd === i || !allIn(text, USER, i, userEnd, true)) throw new SipSyntaxError('Bad user part in SIP URI');
    uri.user = text.slice(i, userEnd);
    if (userEnd < at) {
      if (!allIn(text, PASSWORD, userEnd + 1, at, true)) throw new SipSyntaxError('Bad password in SIP URI');
      uri.password = text.slice(userEnd + 1, at);
    }
    i = at + 1;
  }
  let q = text.indexOf('?', i);
  if (q < 0) q = text.length;
  let semi = text.indexOf(';', i);
  if (semi < 0 || semi > q) semi = q;
  readHostPort(text, i, semi, uri);
  readUriParams(text, semi, q, uri.params);
  if (q < text.length) readUriHeaders(text, q + 1, uri.headers);
  return uri;
}

/** Reads `host [":" port]` between `i` and `end` into `into`. */
function readHostPort(text: string, i: number, end: number, into: { host: string; port: number | undefined }): void {
  let hostEnd: number;
  if (text.charCodeAt(i) === 0x5b) {
    const close = text.indexOf(']', i);
    if (close < 0 || close > end) throw new SipSyntaxError('Unterminated IPv6 reference');
    const addr = text.slice(i + 1, close);
    if (!isIPv6(addr)) throw new SipSyntaxError('Bad IPv6 reference');
    into.host = addr;
    hostEnd = close + 1;
  } else {
    hostEnd = text.indexOf(':', i);
    if (hostEnd < 0 || hostEnd > end) hostEnd = end;
    else if (text.indexOf(':', hostEnd + 1) >= 0 && text.indexOf(':', hostEnd + 1) < end) {
      throw new SipSyntaxError('IPv6 address not enclosed in []');
    }
    into.host = checkHost(text.slice(i, hostEnd));
  }
  if (hostEnd < end) {
    if (text.charCodeAt(hostEnd) !== 0x3a) throw new SipSyntaxError('Bad host');
    into.port = readPort(text.slice(hostEnd + 1, end));
  }
}

/**
 * Checks a host (hostname / IPv4address, §25.1) and returns it; an IPv6 address without brackets
 * is rejected (RFC 5118 §4.2 is about exactly that mistake).
 */
export function checkHost(host: string): string {
  if (host.length === 0) throw new SipSyntaxError('Empty host');
  if (!allIn(host, HOSTCHAR)) throw new SipSyntaxError('Bad host');
  const last = host.charCodeAt(host.length - 1);
  // A name whose last label starts with a digit must be a dotted-quad (§25.1 toplabel).
  if (/^[0-9.]+$/.test(host) && !isIPv4(host)) throw new SipSyntaxError('Bad IPv4 address');
  if (host.charCodeAt(0) === 0x2d || last === 0x2d) throw new SipSyntaxError('Bad host');
  return host;
}

/** Reads a port: 1 to 5 digits, at most 65535 (RFC 4475 §3.1.2.4 overlarge scalars). */
export function readPort(text: string): number {
  if (text.length === 0 || text.length > 5 || !/^[0-9]+$/.test(text)) throw new SipSyntaxError('Bad port');
  const port = Number(text);
  if (port > 65535) throw new SipSyntaxError('Port out of range');
  return port;
}

function readUriHeaders(text: string, i: number, into: Array<[string, string]>): void {
  for (const part of text.slice(i).split('&')) {
    const eq = part.indexOf('=');
    if (eq <= 0 || !allIn(part, HNVCHAR, 0, eq, true) || !allIn(part, HNVCHAR, eq + 1, part.length, true)) {
      throw new SipSyntaxError('Bad URI header');
    }
    into.push([part.slice(0, eq), part.slice(eq + 1)]);
  }
}

function readTelUri(text: string, i: number): Uri {
  let semi = text.indexOf(';', i);
  if (semi < 0) semi = text.length;
  if (semi === i || !allIn(text, TELCHAR, i, semi, true)) throw new SipSyntaxError('Bad tel URI number');
  const uri = new Uri({ scheme: 'tel', user: text.slice(i, semi) });
  readUriParams(text, semi, text.length, uri.params);
  return uri;
}

/** URI parameters that make two URIs differ when only one of them has it (RFC 3261 §19.1.4). */
const SIGNIFICANT_PARAMS = ['user', 'ttl', 'method', 'maddr', 'transport'];

/**
 * URI equivalence (RFC 3261 §19.1.4): scheme, user and password exactly (after unescaping), host
 * and parameters case-insensitively, port only equal to port (no default 5060), `user`, `ttl`,
 * `method`, `maddr` and `transport` present in both or neither, other parameters compared only
 * when both have them, URI headers all equal. Other schemes compare as text, case-insensitively.
 */
export function uriEquals(a: Uri, b: Uri): boolean {
  if (a.scheme !== b.scheme) return false;
  if (!a.isSip) return a.toString().toLowerCase() === b.toString().toLowerCase();
  if (unescape(a.user ?? '') !== unescape(b.user ?? '') || unescape(a.password ?? '') !== unescape(b.password ?? ''))
    return false;
  if (a.host.toLowerCase() !== b.host.toLowerCase() || a.port !== b.port) return false;
  for (const name of SIGNIFICANT_PARAMS) if (a.params.has(name) !== b.params.has(name)) return false;
  for (const [name, value] of a.params.entries()) {
    const other = b.params.get(name);
    if (other === undefined) continue;
    if (unescape(value ?? '').toLowerCase() !== unescape(other ?? '').toLowerCase()) return false;
  }
  if (a.headers.length !== b.headers.length) return false;
  return a.headers.every(([name, value]) =>
    b.headers.some(
      ([n, v]) => unescape(n).toLowerCase() === unescape(name).toLowerCase() && unescape(v) === unescape(value),
    ),
  );
}

function unescape(s: string): string {
  if (s.indexOf('%') < 0) return s;
  return s.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
