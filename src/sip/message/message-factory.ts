import { randomBytes } from 'node:crypto';
import { formatCSeq } from './cseq';
import { Headers } from './headers';
import type { NameAddr } from './name-addr';
import { reasonPhrase } from './reason-phrases';
import { SipRequest, SipResponse } from './sip-message';
import { SipSyntaxError } from './syntax';
import type { Uri } from './uri';
import { BRANCH_MAGIC_COOKIE, type Via } from './via';

/**
 * Random identifiers are cut from one pool refilled 4 KiB at a time: one `randomBytes` call per
 * few hundred identifiers instead of one per identifier keeps message building cheap at high rates.
 */
let pool = Buffer.alloc(0);
let poolOffset = 0;

function randomHex(bytes: number): string {
  if (poolOffset + bytes > pool.length) {
    pool = randomBytes(4096);
    poolOffset = 0;
  }
  const s = pool.toString('hex', poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return s;
}

/** A From/To tag with at least 32 bits of randomness (RFC 3261 §19.3). */
export function newTag(): string {
  return randomHex(6);
}

/** A transaction branch: the magic cookie and a value unique in space and time (§8.1.1.7). */
export function newBranch(): string {
  return BRANCH_MAGIC_COOKIE + randomHex(10);
}

/** A Call-ID, globally unique (§8.1.1.4); `host` (optional) makes it `random@host`. */
export function newCallId(host?: string): string {
  const id = randomHex(12);
  return host ? id + '@' + host : id;
}

/** What a UAC needs to build a request outside or inside a dialog (§8.1.1, §12.2.1.1). */
export interface RequestInit {
  method: string;
  /** Request-URI. */
  uri: Uri | string;
  from: NameAddr | string;
  to: NameAddr | string;
  callId: string;
  cseq: number;
  /** The top Via (usually with a fresh {@link newBranch}); the transport layer may also add it later. */
  via?: Via | string;
  /** Default 70 (§8.1.1.6). */
  maxForwards?: number;
  contact?: NameAddr | string;
  /** Route set in order (§12.2.1.1). */
  routes?: Array<NameAddr | string>;
  /** More headers, in order, after the ones above. */
  headers?: Array<readonly [string, string]>;
  body?: Buffer | string;
  /** Content-Type of the body, e.g. `application/sdp`. */
  contentType?: string;
}

/**
 * Builds a request with the header fields every request carries (RFC 3261 §8.1.1: To, From,
 * CSeq, Call-ID, Max-Forwards, Via; Contact for dialog-creating requests) in the customary order.
 */
export function createRequest(init: RequestInit): SipRequest {
  const h = new Headers();
  if (init.via !== undefined) h.append('Via', init.via.toString());
  h.append('Max-Forwards', String(init.maxForwards ?? 70));
  for (const r of init.routes ?? []) h.append('Route', r.toString());
  h.append('From', init.from.toString());
  h.append('To', init.to.toString());
  h.append('Call-ID', init.callId);
  h.append('CSeq', formatCSeq({ seq: init.cseq, method: init.method }));
  if (init.contact !== undefined) h.append('Contact', init.contact.toString());
  for (const [name, value] of init.headers ?? []) h.append(name, value);
  if (init.contentType !== undefined) h.append('Content-Type', init.contentType);
  return new SipRequest(init.method, init.uri, h, init.body);
}

/** Options of {@link createResponse}. */
export interface ResponseOptions {
  /**
   * The To tag to add when the request's To has none (§8.2.6.2: a UAS adds one to every response
   * but 100). Ignored for 100 Trying and when the request's To already has a tag.
   */
  toTag?: string;
  /** Extra headers appended in order (Contact, Allow, Supported, Server, ...). */
  headers?: Array<readonly [string, string]>;
  body?: Buffer | string;
  contentType?: string;
}

/** Methods whose 1xx/2xx responses outside a dialog establish one (RFC 3261 §12.1; RFC 6665 §4.1.3; RFC 3515 §2.4.4). */
const DIALOG_CREATING: ReadonlySet<string> = new Set(['INVITE', 'SUBSCRIBE', 'REFER']);

/**
 * Builds a response to `request` (RFC 3261 §8.2.6): the same Via values in the same order, From,
 * Call-ID and CSeq copied, To copied with a tag added when asked, and Timestamp echoed in 100
 * Trying (§8.2.6.1). Responses that establish a dialog (101-299 to an INVITE, SUBSCRIBE or REFER
 * without To tag) also get the request's Record-Route values, which the UAS MUST copy (§12.1.1).
 * Values are copied as written, so it also answers requests whose other headers failed to parse.
 * `reason` defaults to the standard phrase.
 */
export function createResponse(
  request: SipRequest,
  status: number,
  reason?: string,
  options: ResponseOptions = {},
): SipResponse {
  const h = new Headers();
  const hasTag = hasToTag(request);
  const addTag = status > 100 && options.toTag !== undefined && !hasTag;
  const dialogCreating = status > 100 && status < 300 && !hasTag && DIALOG_CREATING.has(request.method);
  for (const f of request.headers._fields()) {
    if (f.key === 'via' || f.key === 'from' || f.key === 'call-id' || f.key === 'cseq') h._push(f.name, f.key, f.value);
    else if (f.key === 'record-route' && dialogCreating) h._push(f.name, f.key, f.value);
    else if (f.key === 'to') h._push(f.name, f.key, addTag ? f.value + ';tag=' + options.toTag : f.value);
    else if (f.key === 'timestamp' && status === 100) h._push(f.name, f.key, f.value);
  }
  for (const [name, value] of options.headers ?? []) h.append(name, value);
  if (options.contentType !== undefined) h.append('Content-Type', options.contentType);
  return new SipResponse(status, reason ?? reasonPhrase(status), h, options.body);
}

function hasToTag(request: SipRequest): boolean {
  try {
    return request.toTag !== undefined;
  } catch (e) {
    if (e instanceof SipSyntaxError) return false;
    throw e;
  }
}
