import type { ParseOutcome } from './parse';
import type { SipRequest, SipResponse } from './sip-message';
import { SipSyntaxError } from './syntax';
import { SUPPORTED_SCHEMES } from './uri';
import { BRANCH_MAGIC_COOKIE } from './via';

/** The response a UAS sends instead of processing a request: status and a precise reason phrase (§21.4.1). */
export interface Rejection {
  status: number;
  reason: string;
  /** Headers the response must carry (Allow with 501/405, Unsupported with 420, Accept with 415, ...). */
  headers?: Array<readonly [string, string]>;
}

/** Options of {@link validateRequest}. */
export interface ValidateOptions {
  /**
   * The methods this element implements. When given, an unknown method is answered 501 before the
   * CSeq/Request-Line comparison (RFC 4475 §3.1.2.18 `mismatch02`: unknown method with CSeq mismatch gets 501).
   */
  methods?: ReadonlySet<string>;
}

/**
 * Says whether a parsed request is well formed enough to process, and if not which response to
 * send (RFC 3261 §8.2, §21.4; RFC 4475 §3.1.2, §3.3): 400 with the problem in the reason phrase for
 * syntax errors (mandatory headers missing, duplicated or malformed, CSeq method not matching the
 * Request-Line, Request-URI with headers or in `<>`, Date not in GMT, ...), 416 for a Request-URI
 * scheme other than sip/sips/tel, 501 for a method outside `options.methods`.
 *
 * Returns `undefined` when the request is fine; then `via`, `vias`, `from`, `to`, `callId`, `cseq`,
 * `maxForwards`, `contacts`, `routes`, `recordRoutes` and `requestUri` do not throw.
 * Note that an ACK is never answered (§17.1.1.3): the caller drops an ACK that fails here.
 */
export function validateRequest(request: SipRequest, options: ValidateOptions = {}): Rejection | undefined {
  try {
    // Headers parse lazily: reading each one here makes its syntax error a rejection now, not a throw later.
    void request.vias;
    void request.from;
    void request.to;
    void request.callId;
    void request.cseq;
    void request.maxForwards;
    // RFC 4475 §3.2.1: the magic cookie alone promises an RFC 3261 branch but carries no identifier.
    if (request.via.branch === BRANCH_MAGIC_COOKIE)
      return { status: 400, reason: 'Missing transaction identifier in Via branch' };
    if (options.methods && !options.methods.has(request.method)) {
      return { status: 501, reason: 'Not Implemented', headers: [['Allow', [...options.methods].join(', ')]] };
    }
    const rejection = checkRequestUri(request);
    if (rejection) return rejection;
    if (request.cseq.method !== request.method)
      return { status: 400, reason: 'CSeq method does not match Request-Line' };
    void request.contacts;
    void request.routes;
    void request.recordRoutes;
    checkDate(request.headers.get('date'));
    checkDeltaSeconds(request.headers.get('expires'), 'Expires');
    for (const c of request.contacts) checkDeltaSeconds(c.params.get('expires') ?? undefined, 'Contact expires');
    if (request.body.length > 0 && request.headers.get('content-type') === undefined) {
      return { status: 400, reason: 'Missing Content-Type header' };
    }
    return undefined;
  } catch (e) {
    if (e instanceof SipSyntaxError) return { status: e.status, reason: e.reason };
    throw e;
  }
}

/**
 * Checks a received response before the transaction layer sees it (§18.1.2): one Via at least,
 * From, To, Call-ID and CSeq parse. Returns the problem, or `undefined`; a bad response is dropped
 * (RFC 4475 §3.1.2.19 overlarge status code is refused earlier, by the parser).
 */
export function validateResponse(response: SipResponse): SipSyntaxError | undefined {
  try {
    // Read once so that a header's syntax error drops the response here (headers parse lazily).
    void response.vias;
    void response.from;
    void response.to;
    void response.callId;
    void response.cseq;
    // RFC 4475 §3.1.2.5: overlarge Retry-After and a Warning code that is not 3 digits.
    const retryAfter = response.headers.get('retry-after');
    if (retryAfter !== undefined) checkDeltaSeconds(/^[^(;\s]*/.exec(retryAfter)?.[0], 'Retry-After');
    for (const w of response.headers.getAll('warning')) {
      if (!/^[0-9]{3} /.test(w)) throw new SipSyntaxError('Bad Warning');
    }
    return undefined;
  } catch (e) {
    if (e instanceof SipSyntaxError) return e;
    throw e;
  }
}

/**
 * The response to send for a parse failure, and the request it answers; `undefined` when nothing
 * can be answered (a response, an unreadable start line, no Via/From/To/Call-ID/CSeq to copy) and
 * the input is only dropped and logged.
 */
export function rejectionForParseFailure(
  outcome: ParseOutcome,
): { request: SipRequest; rejection: Rejection } | undefined {
  if (outcome.ok || !outcome.partial || !outcome.partial.isRequest()) return undefined;
  const request = outcome.partial;
  const h = request.headers;
  if (request.method === 'ACK') return undefined;
  if (!h.has('via') || !h.has('from') || !h.has('to') || !h.has('call-id') || !h.has('cseq')) return undefined;
  return { request, rejection: { status: outcome.error.status, reason: outcome.error.reason } };
}

function checkRequestUri(request: SipRequest): Rejection | undefined {
  const text = request.uri;
  if (text.startsWith('<')) return { status: 400, reason: 'Request-URI enclosed in <>' };
  const uri = request.requestUri;
  if (!SUPPORTED_SCHEMES.has(uri.scheme)) return { status: 416, reason: 'Unsupported URI Scheme' };
  // §19.1.1 table: URI headers are not allowed in a Request-URI (RFC 4475 §3.1.2.11 `escruri`).
  if (uri.headers.length > 0) return { status: 400, reason: 'Headers not allowed in Request-URI' };
  return undefined;
}

const DATE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT$/;

/** Date must be an RFC 1123 date in GMT (§20.17; RFC 4475 §3.1.2.12 `baddate`); a one-digit day is tolerated. */
function checkDate(value: string | undefined): void {
  if (value !== undefined && !DATE.test(value)) throw new SipSyntaxError('Bad Date: must be RFC 1123 in GMT');
}

/** delta-seconds fit in 32 bits (§25.1, RFC 4475 §3.1.2.4 overlarge scalars). */
function checkDeltaSeconds(value: string | undefined, what: string): void {
  if (value === undefined) return;
  if (!/^[0-9]{1,10}$/.test(value) || Number(value) > 2 ** 32 - 1) throw new SipSyntaxError(`Bad ${what}`);
}
