import { Headers } from './headers';
import type { NameAddr } from './name-addr';
import { readNameAddr } from './name-addr';
import type { Uri } from './uri';
import { readUri } from './uri';
import type { Via } from './via';
import { readVia } from './via';
import { type CSeq, readCSeq } from './cseq';
import { SipSyntaxError, splitList } from './syntax';

/** The protocol version confgate speaks (RFC 3261 §7.1). */
export const SIP_VERSION = 'SIP/2.0';

const EMPTY = Buffer.alloc(0);

/**
 * What requests and responses share (RFC 3261 §7): ordered headers and a body of bytes.
 *
 * Header values stay raw text; the accessors below parse on first use and cache the result until
 * the headers change. They throw {@link SipSyntaxError} when the header is missing or malformed:
 * run `validateRequest`/`validateResponse` first (the transport does), after which the mandatory
 * ones (Via, From, To, Call-ID, CSeq) are known to parse. Parsed values are copies: change one and
 * write it back (`setTopVia`, `headers.set('To', to.toString())`).
 */
export abstract class SipMessage {
  readonly headers: Headers;
  /** The body as bytes (§7.4); a view into the received datagram, not a copy. */
  body: Buffer;
  private cache = new Map<string, unknown>();
  private cacheVersion = -1;

  protected constructor(headers?: Headers | Iterable<readonly [string, string]>, body?: Buffer | string) {
    this.headers = headers instanceof Headers ? headers : new Headers(headers);
    this.body = body === undefined ? EMPTY : typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  }

  abstract isRequest(): this is SipRequest;

  /** The first line without CRLF. */
  abstract startLine(): string;

  /** Call-ID (§20.8). */
  get callId(): string {
    return this.cached('call-id', () => {
      const v = this.headers.get('call-id');
      if (v === undefined || v.length === 0) throw new SipSyntaxError('Missing Call-ID header');
      if (this.headers.count('call-id') > 1) throw new SipSyntaxError('Multiple Call-ID headers');
      return v;
    });
  }

  /** CSeq (§20.16). */
  get cseq(): CSeq {
    return this.cached('cseq', () => readCSeq(this.single('CSeq')));
  }

  /** From (§20.20). */
  get from(): NameAddr {
    return this.cached('from', () => readNameAddr(this.single('From'), 'From'));
  }

  /** To (§20.39). */
  get to(): NameAddr {
    return this.cached('to', () => readNameAddr(this.single('To'), 'To'));
  }

  /** The From tag, or `undefined` (an RFC 2543 peer may omit it, §12.2.2). */
  get fromTag(): string | undefined {
    return this.from.tag;
  }

  /** The To tag, or `undefined` outside a dialog (§8.2.6.2). */
  get toTag(): string | undefined {
    return this.to.tag;
  }

  /** Every Via, topmost first (§20.42). */
  get vias(): Via[] {
    return this.cached('vias', () => {
      const all = this.headers.getAll('via');
      if (all.length === 0) throw new SipSyntaxError('Missing Via header');
      return all.map((v) => {
        if (v.length === 0) throw new SipSyntaxError('Empty Via header value');
        return readVia(v);
      });
    });
  }

  /**
   * The topmost Via: where the response goes (§18.2.2) and whose branch names the transaction
   * (§17.2.3). Only the first value is parsed, so a request through several proxies costs one Via.
   */
  get via(): Via {
    return this.cached('via', () => {
      const first = this.headers.get('via');
      if (first === undefined) throw new SipSyntaxError('Missing Via header');
      const top = first.indexOf(',') < 0 ? first : splitList(first)[0];
      if (top.length === 0) throw new SipSyntaxError('Empty Via header value');
      return readVia(top);
    });
  }

  /** The top Via's branch. */
  get branch(): string | undefined {
    return this.via.branch;
  }

  /** Contact values (§20.10); empty when absent; `*` (REGISTER) gives an empty list too, see {@link isWildcardContact}. */
  get contacts(): NameAddr[] {
    return this.cached('contact', () => this.nameAddrs('Contact', true));
  }

  /** Whether Contact is `*` (§10.2.2). */
  get isWildcardContact(): boolean {
    const c = this.headers.get('contact');
    return c !== undefined && c.trim() === '*';
  }

  /** Record-Route values in order (§20.30). */
  get recordRoutes(): NameAddr[] {
    return this.cached('record-route', () => this.nameAddrs('Record-Route', false));
  }

  /** Route values in order (§20.34). */
  get routes(): NameAddr[] {
    return this.cached('route', () => this.nameAddrs('Route', false));
  }

  /** Max-Forwards (§20.22), or `undefined` when absent. Range 0..255 (RFC 4475 §3.1.2.4). */
  get maxForwards(): number | undefined {
    return this.cached('max-forwards', () => {
      const v = this.headers.get('max-forwards');
      if (v === undefined) return undefined;
      if (this.headers.count('max-forwards') > 1) throw new SipSyntaxError('Multiple Max-Forwards headers');
      if (!/^[0-9]+$/.test(v)) throw new SipSyntaxError('Bad Max-Forwards');
      if (v.length > 10 || Number(v) > 255) throw new SipSyntaxError('Max-Forwards out of range');
      return Number(v);
    });
  }

  /** Content-Type without parameters, lower-cased (`application/sdp`), or `undefined`. */
  get contentType(): string | undefined {
    const v = this.headers.get('content-type');
    if (v === undefined) return undefined;
    const semi = v.indexOf(';');
    return (semi < 0 ? v : v.slice(0, semi)).trim().toLowerCase();
  }

  /** The option-tags of Supported, Require, Proxy-Require or Unsupported (§20.37, §20.32), as written. */
  optionTags(name: 'Supported' | 'Require' | 'Proxy-Require' | 'Unsupported'): string[] {
    return this.headers.getAll(name).filter((t) => t.length > 0);
  }

  /** Writes a changed top Via back into the headers (e.g. after stamping received/rport, §18.2.1). */
  setTopVia(via: Via): void {
    this.headers.setFirst('Via', via.toString());
  }

  /** The parsed value of a header that must appear exactly once. */
  private single(name: string): string {
    const v = this.headers.get(name);
    if (v === undefined) throw new SipSyntaxError(`Missing ${name} header`);
    if (this.headers.count(name) > 1) throw new SipSyntaxError(`Multiple ${name} headers`);
    return v;
  }

  private nameAddrs(name: string, allowStar: boolean): NameAddr[] {
    const out: NameAddr[] = [];
    for (const v of this.headers.getAll(name)) {
      if (allowStar && v === '*') continue;
      if (v.length === 0) throw new SipSyntaxError(`Empty ${name} header value`);
      out.push(readNameAddr(v, name));
    }
    return out;
  }

  /** Parses once per header version; a parse error is cached too, so a bad header costs one parse. */
  protected cached<T>(key: string, compute: () => T): T {
    if (this.cacheVersion !== this.headers.version) {
      this.cache.clear();
      this.cacheVersion = this.headers.version;
    }
    // One lookup on the common hit; `has` only to tell a cached `undefined` from a miss.
    const hit = this.cache.get(key);
    if (hit !== undefined || this.cache.has(key)) {
      if (hit instanceof SipSyntaxError) throw hit;
      return hit as T;
    }
    try {
      const v = compute();
      this.cache.set(key, v);
      return v;
    } catch (e) {
      if (e instanceof SipSyntaxError) this.cache.set(key, e);
      throw e;
    }
  }
}

/** A SIP request (RFC 3261 §7.1): `Method Request-URI SIP/2.0`. */
export class SipRequest extends SipMessage {
  /** The method, case-sensitive (§7.1): `INVITE`, `ACK`, ... */
  method: string;
  private uriText: string;
  private uriParsed: Uri | undefined;

  constructor(
    method: string,
    uri: string | Uri,
    headers?: Headers | Iterable<readonly [string, string]>,
    body?: Buffer | string,
  ) {
    super(headers, body);
    this.method = method;
    if (typeof uri === 'string') this.uriText = uri;
    else {
      this.uriText = uri.toString();
      this.uriParsed = uri;
    }
  }

  isRequest(): this is SipRequest {
    return true;
  }

  /** The Request-URI as written on the start line. */
  get uri(): string {
    return this.uriText;
  }

  set uri(text: string) {
    this.uriText = text;
    this.uriParsed = undefined;
  }

  /** The parsed Request-URI (cached); throws {@link SipSyntaxError} if malformed (400, §8.2.2.1 for 416). */
  get requestUri(): Uri {
    if (!this.uriParsed) this.uriParsed = readUri(this.uriText);
    return this.uriParsed;
  }

  set requestUri(uri: Uri) {
    this.uriParsed = uri;
    this.uriText = uri.toString();
  }

  startLine(): string {
    return this.method + ' ' + this.uriText + ' ' + SIP_VERSION;
  }
}

/** A SIP response (RFC 3261 §7.2): `SIP/2.0 Status-Code Reason-Phrase`. */
export class SipResponse extends SipMessage {
  status: number;
  reason: string;

  constructor(
    status: number,
    reason: string,
    headers?: Headers | Iterable<readonly [string, string]>,
    body?: Buffer | string,
  ) {
    super(headers, body);
    this.status = status;
    this.reason = reason;
  }

  isRequest(): this is SipRequest {
    return false;
  }

  startLine(): string {
    return SIP_VERSION + ' ' + this.status + ' ' + this.reason;
  }
}
