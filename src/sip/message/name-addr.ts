import { Params, readHeaderParams } from './params';
import type { Uri } from './uri';
import { readUri } from './uri';
import { SipSyntaxError, type ParseResult, attempt, TOKEN, endOfQuoted, isWs, quote, skipWs, unquote } from './syntax';

/**
 * The value of From, To, Contact, Route, Record-Route, Reply-To and similar headers:
 * `( name-addr / addr-spec ) *( SEMI param )` (RFC 3261 §20.10, §25.1).
 * `displayName` is the unquoted text; {@link NameAddr.toString} always writes the `<uri>` form
 * and quotes the display name when it is not a plain run of tokens.
 */
export class NameAddr {
  displayName: string | undefined;
  uri: Uri;
  readonly params: Params;

  constructor(uri: Uri, displayName?: string, params?: Params) {
    this.uri = uri;
    this.displayName = displayName;
    this.params = params ?? new Params();
  }

  /** The `tag` parameter of From/To (RFC 3261 §19.3); setting `undefined` removes it. */
  get tag(): string | undefined {
    return this.params.get('tag') ?? undefined;
  }

  set tag(tag: string | undefined) {
    if (tag === undefined) this.params.delete('tag');
    else this.params.set('tag', tag);
  }

  toString(): string {
    let s = '';
    if (this.displayName !== undefined && this.displayName !== '') {
      s = (isTokenRun(this.displayName) ? this.displayName : quote(this.displayName)) + ' ';
    }
    return s + '<' + this.uri.toString() + '>' + this.params.toString();
  }

  clone(): NameAddr {
    return new NameAddr(this.uri.clone(), this.displayName, this.params.clone());
  }
}

function isTokenRun(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!(c < 128 && (TOKEN[c] === 1 || c === 0x20))) return false;
  }
  return s.trim() === s;
}

/** Parses one name-addr / addr-spec with parameters; never throws. */
export function parseNameAddr(text: string): ParseResult<NameAddr> {
  return attempt(() => readNameAddr(text, 'header'));
}

/**
 * Reads `( name-addr / addr-spec ) *( SEMI param )` (RFC 3261 §25.1); throws {@link SipSyntaxError}
 * naming `what` (the header) so the 400 reason phrase says where the error is.
 */
export function readNameAddr(text: string, what: string): NameAddr {
  let i = skipWs(text, 0);
  let displayName: string | undefined;
  let lt = -1;
  if (text.charCodeAt(i) === 0x22) {
    const end = endOfQuoted(text, i);
    if (end < 0) throw new SipSyntaxError(`Unterminated quoted string in ${what}`);
    displayName = unquote(text.slice(i, end));
    i = skipWs(text, end);
    if (text.charCodeAt(i) !== 0x3c) throw new SipSyntaxError(`Display name without <URI> in ${what}`);
    lt = i;
  } else {
    // A '<' before any ';' starts a name-addr; what precedes it is a display name of tokens.
    for (let j = i; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (c === 0x3c) {
        lt = j;
        break;
      }
      if (c === 0x3b) break;
    }
    if (lt >= 0) {
      const dn = text.slice(i, lt).trim();
      // Tokens and LWS (§25.1); UTF-8 letters are accepted too since phones send unquoted names
      // in their language, but ASCII separators (`,` `"` `;` ...) are not (RFC 4475 §3.1.2.15).
      for (let j = 0; j < dn.length; j++) {
        const c = dn.charCodeAt(j);
        if (!(c >= 128 || TOKEN[c] === 1 || isWs(c)))
          throw new SipSyntaxError(`Bad character in display name of ${what}`);
      }
      if (dn.length > 0) displayName = dn;
    } else if (text.charCodeAt(i) === 0x22) {
      throw new SipSyntaxError(`Unterminated quoted string in ${what}`);
    }
  }
  let uri: Uri;
  if (lt >= 0) {
    const gt = text.indexOf('>', lt);
    if (gt < 0) throw new SipSyntaxError(`Missing > in ${what}`);
    uri = readUri(text.slice(lt + 1, gt));
    i = gt + 1;
  } else {
    // addr-spec: a URI with ';', ',' or '?' must be in angle brackets (§20.10), so it ends at ';' or LWS.
    let end = i;
    while (end < text.length && text.charCodeAt(end) !== 0x3b && !isWs(text.charCodeAt(end))) end++;
    const spec = text.slice(i, end);
    if (spec.indexOf('?') >= 0 || spec.indexOf(',') >= 0)
      throw new SipSyntaxError(`URI with ? or , not enclosed in <> in ${what}`);
    uri = readUri(spec);
    i = end;
  }
  const params = new Params();
  i = readHeaderParams(text, i, params, what);
  if (i < text.length) throw new SipSyntaxError(`Unexpected text after URI in ${what}`);
  return new NameAddr(uri, displayName, params);
}
