import { isIPv6 } from 'node:net';
import { uriHost } from './host';
import { Params, readHeaderParams } from './params';
import { checkHost, readPort } from './uri';
import { SipSyntaxError, type ParseResult, attempt, TOKEN, isToken, skipWs } from './syntax';

/** The branch prefix of RFC 3261 transactions (§8.1.1.7); a branch without it is RFC 2543-style. */
export const BRANCH_MAGIC_COOKIE = 'z9hG4bK';

/**
 * One Via header value (RFC 3261 §20.42, §18.2.1; RFC 3581 `rport`):
 * `SIP/2.0/UDP host:port;branch=z9hG4bK...;received=...;rport=...`.
 * `host` is kept without IPv6 brackets (RFC 5118 §4.5); {@link Via.toString} adds them back.
 */
export class Via {
  /** `SIP/2.0` for every message confgate accepts. */
  protocol: string;
  /** Upper-case transport: UDP, TCP, TLS, SCTP, WS, WSS. */
  transport: string;
  host: string;
  port: number | undefined;
  readonly params: Params;

  constructor(init: {
    transport: string;
    host: string;
    port?: number;
    branch?: string;
    protocol?: string;
    params?: Params;
  }) {
    this.protocol = init.protocol ?? 'SIP/2.0';
    this.transport = init.transport.toUpperCase();
    this.host = init.host;
    this.port = init.port;
    this.params = init.params ?? new Params();
    if (init.branch !== undefined) this.params.set('branch', init.branch);
  }

  get branch(): string | undefined {
    return this.params.get('branch') ?? undefined;
  }

  set branch(branch: string | undefined) {
    if (branch === undefined) this.params.delete('branch');
    else this.params.set('branch', branch);
  }

  /** The `received` address a server stamps when sent-by differs from the packet source (§18.2.1). */
  get received(): string | undefined {
    return this.params.get('received') ?? undefined;
  }

  set received(address: string | undefined) {
    if (address === undefined) this.params.delete('received');
    else this.params.set('received', address);
  }

  /**
   * `rport` (RFC 3581 §4): `null` when the client asked for it without a value, a number once a
   * server filled in the source port, `undefined` when absent. Setting a number fills it in.
   */
  get rport(): number | null | undefined {
    const v = this.params.get('rport');
    if (v === undefined || v === null) return v;
    const n = Number(v);
    return Number.isInteger(n) ? n : null;
  }

  set rport(port: number | null | undefined) {
    if (port === undefined) this.params.delete('rport');
    else this.params.set('rport', port === null ? null : String(port));
  }

  /** `host[:port]` with IPv6 brackets: the sent-by of §18.2.1. */
  get sentBy(): string {
    const h = uriHost(this.host);
    return this.port === undefined ? h : h + ':' + this.port;
  }

  /** Whether the branch starts with the RFC 3261 magic cookie (§17.2.3 matching rules apply). */
  get isRfc3261Branch(): boolean {
    const b = this.branch;
    return b !== undefined && b.startsWith(BRANCH_MAGIC_COOKIE);
  }

  toString(): string {
    return this.protocol + '/' + this.transport + ' ' + this.sentBy + this.params.toString();
  }

  clone(): Via {
    return new Via({
      protocol: this.protocol,
      transport: this.transport,
      host: this.host,
      port: this.port,
      params: this.params.clone(),
    });
  }
}

/** Parses one Via value (not a comma list); never throws. */
export function parseVia(text: string): ParseResult<Via> {
  return attempt(() => readVia(text));
}

/** Reads one Via value (RFC 3261 §25.1 via-parm); throws {@link SipSyntaxError}. */
export function readVia(text: string): Via {
  let i = skipWs(text, 0);
  const name = readToken(text, i);
  i = expectSlash(text, i + name.length);
  const version = readToken(text, i);
  i = expectSlash(text, i + version.length);
  const transport = readToken(text, i);
  i += transport.length;
  const afterTransport = i;
  i = skipWs(text, i);
  if (i === afterTransport) throw new SipSyntaxError('Missing space before sent-by in Via');
  let host: string;
  let port: number | undefined;
  if (text.charCodeAt(i) === 0x5b) {
    const close = text.indexOf(']', i);
    if (close < 0) throw new SipSyntaxError('Unterminated IPv6 reference in Via');
    host = text.slice(i + 1, close);
    if (!isIPv6(host)) throw new SipSyntaxError('Bad IPv6 reference in Via');
    i = close + 1;
  } else {
    const start = i;
    while (i < text.length && isHostChar(text.charCodeAt(i))) i++;
    host = checkHost(text.slice(start, i));
  }
  const afterHost = skipWs(text, i);
  if (text.charCodeAt(afterHost) === 0x3a) {
    i = skipWs(text, afterHost + 1);
    const start = i;
    while (i < text.length && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
    port = readPort(text.slice(start, i));
  }
  const params = new Params();
  i = readHeaderParams(text, i, params, 'Via');
  if (i < text.length) throw new SipSyntaxError('Unexpected text in Via');
  const via = new Via({ protocol: name + '/' + version, transport, host, port, params });
  const rport = params.get('rport');
  if (rport !== undefined && rport !== null) readPort(rport);
  return via;
}

function isHostChar(c: number): boolean {
  return c < 128 && TOKEN[c] === 1;
}

function readToken(text: string, i: number): string {
  let j = i;
  while (j < text.length && text.charCodeAt(j) < 128 && TOKEN[text.charCodeAt(j)] === 1) j++;
  const t = text.slice(i, j);
  if (!isToken(t)) throw new SipSyntaxError('Bad sent-protocol in Via');
  return t;
}

function expectSlash(text: string, i: number): number {
  i = skipWs(text, i);
  if (text.charCodeAt(i) !== 0x2f) throw new SipSyntaxError('Bad sent-protocol in Via');
  return skipWs(text, i + 1);
}
