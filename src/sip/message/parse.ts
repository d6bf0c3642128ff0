import { isUtf8 } from 'node:buffer';
import { Headers, headerKey } from './headers';
import { SipRequest, SipResponse, SIP_VERSION } from './sip-message';
import { SipSyntaxError, TOKEN, isToken } from './syntax';

/** The default bound on one message (RFC 3261 §18.1.1 allows up to the 65,535-byte UDP datagram). */
export const DEFAULT_MAX_MESSAGE_SIZE = 65535;

/**
 * The outcome of reading one message. On failure, `partial` is the request or response read as
 * far as the error allowed (start line and the header lines that were well formed), so a UAS can
 * still answer a bad request with the error's `status` and `reason` (RFC 3261 §8.2, RFC 4475 §3.1.2);
 * without `partial` nothing can be answered and the input is dropped.
 */
export type ParseOutcome =
  | { ok: true; value: SipRequest | SipResponse }
  | { ok: false; error: SipSyntaxError; partial?: SipRequest | SipResponse };

const NOT_SIP = new SipSyntaxError('Not a SIP message');

export interface ParseOptions {
  /** Messages larger than this get 513 Message Too Large (§21.5.14). Default 65,535. */
  maxMessageSize?: number;
}

/**
 * Parses one SIP message from a datagram, or from a frame cut by {@link SipStreamFramer}
 * (RFC 3261 §7, §18.3). Header lines are unfolded (§7.3.1) and kept raw; compact names are
 * resolved at lookup. The body is a view into `data` bounded by Content-Length; a datagram may
 * omit Content-Length (the body is then the rest), and bytes past Content-Length are ignored (§18.3).
 *
 * Never throws: every problem comes back as `{ ok: false }`.
 */
export function parseMessage(data: Buffer, options: ParseOptions = {}): ParseOutcome {
  let partial: SipRequest | SipResponse | undefined;
  try {
    const maxSize = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
    // CRLFs before the start line are ignored (§7.5); a datagram of CRLFs only is a keep-alive.
    let start = 0;
    while (start < data.length && (data[start] === 0x0d || data[start] === 0x0a)) start++;
    if (start === data.length) return fail(new SipSyntaxError('Empty message'), undefined);
    // Binary noise (STUN, RTP sent to the wrong port, scans) is refused at its first byte, with a
    // shared error: a flood of it should cost next to nothing.
    if (data[start] >= 128 || TOKEN[data[start]] !== 1) return { ok: false, error: NOT_SIP };
    let headEnd = data.indexOf('\r\n\r\n', start);
    let bodyStart = headEnd + 4;
    if (headEnd < 0) {
      // Lenient towards bare-LF senders (§7.5 asks for CRLF but robust parsers accept LF).
      headEnd = data.indexOf('\n\n', start);
      bodyStart = headEnd + 2;
    }
    if (headEnd < 0) {
      headEnd = data.length;
      bodyStart = data.length;
    }
    // An oversized message is still read as far as its head, to answer 513, unless the head itself is over the bound.
    if (headEnd - start > maxSize) return fail(new SipSyntaxError('Message Too Large', 513), undefined);
    // SIP text is UTF-8 (§7.3.1); old equipment sends ISO-8859-1 display names, which are read as
    // Latin-1 (and so forwarded as proper UTF-8) rather than turned into U+FFFD.
    const head = data.toString(isUtf8(data.subarray(start, headEnd)) ? 'utf8' : 'latin1', start, headEnd);
    const lineErrors: SipSyntaxError[] = [];
    partial = readHead(head, lineErrors);
    if (headEnd === data.length) return fail(new SipSyntaxError('Missing empty line after headers'), partial);
    if (lineErrors.length > 0) return fail(lineErrors[0], partial);
    if (data.length > maxSize) return fail(new SipSyntaxError('Message Too Large', 513), partial);
    const length = contentLength(partial.headers);
    const available = data.length - bodyStart;
    if (length === undefined) partial.body = data.subarray(bodyStart);
    else if (length > available) return fail(new SipSyntaxError('Content-Length larger than message body'), partial);
    else partial.body = data.subarray(bodyStart, bodyStart + length);
    return { ok: true, value: partial };
  } catch (e) {
    if (e instanceof SipSyntaxError) return fail(e, partial);
    // A bug in the parser must not take the transport down: report it as unparsable input.
    return fail(new SipSyntaxError('Unparsable message'), partial);
  }
}

function fail(error: SipSyntaxError, partial: SipRequest | SipResponse | undefined): ParseOutcome {
  return partial ? { ok: false, error, partial } : { ok: false, error };
}

/**
 * Reads the start line and header lines. A malformed start line throws; a malformed header line is
 * skipped and recorded in `lineErrors`, so the message can still be answered with 400.
 */
function readHead(head: string, lineErrors: SipSyntaxError[]): SipRequest | SipResponse {
  let pos = 0;
  let nl = head.indexOf('\n', pos);
  if (nl < 0) nl = head.length;
  const startLine = head.slice(pos, nl > pos && head.charCodeAt(nl - 1) === 0x0d ? nl - 1 : nl);
  const message = readStartLine(startLine, lineErrors);
  const headers = message.headers;
  pos = nl + 1;
  let name = '';
  let key = '';
  let value = '';
  while (pos < head.length) {
    nl = head.indexOf('\n', pos);
    if (nl < 0) nl = head.length;
    const end = nl > pos && head.charCodeAt(nl - 1) === 0x0d ? nl - 1 : nl;
    const first = head.charCodeAt(pos);
    if (first === 0x20 || first === 0x09) {
      // Folded continuation (§7.3.1): equivalent to a single SP.
      if (name === '') noteError(lineErrors, 'Continuation line without header');
      else {
        const more = head.slice(pos, end).trim();
        value = value.length === 0 ? more : more.length === 0 ? value : value + ' ' + more;
      }
    } else {
      if (name !== '') headers._push(name, key, value);
      name = '';
      // Bounded to the line: an unbounded indexOf would make lines without colon quadratic.
      let colon = pos;
      while (colon < end && head.charCodeAt(colon) !== 0x3a) colon++;
      if (colon === end) {
        noteError(lineErrors, 'Malformed header line');
      } else {
        let nameEnd = colon;
        while (nameEnd > pos && (head.charCodeAt(nameEnd - 1) === 0x20 || head.charCodeAt(nameEnd - 1) === 0x09))
          nameEnd--;
        if (!tokenBetween(head, pos, nameEnd)) noteError(lineErrors, 'Bad header name');
        else {
          name = head.slice(pos, nameEnd);
          key = headerKey(name);
          value = head.slice(colon + 1, end).trim();
        }
      }
    }
    pos = nl + 1;
  }
  if (name !== '') headers._push(name, key, value);
  return message;
}

/** Records the first error of a head only: building thousands of errors for a junk message would cost more than parsing it. */
function noteError(errors: SipSyntaxError[], reason: string): void {
  if (errors.length === 0) errors.push(new SipSyntaxError(reason));
}

function tokenBetween(s: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || TOKEN[c] !== 1) return false;
  }
  return true;
}

/**
 * Reads `Method SP Request-URI SP SIP-Version` or `SIP-Version SP Status-Code SP Reason-Phrase`
 * (§7.1, §7.2). Exactly one SP separates the elements (RFC 4475 §3.1.2.8 `lwsruri`, §3.1.2.9
 * `lwsstart`, §3.1.2.10 `trws`). A request line that names a method and a URI but is otherwise
 * wrong records its error in `errors` and still yields the request, so it can be answered.
 */
function readStartLine(line: string, errors: SipSyntaxError[]): SipRequest | SipResponse {
  if (line.length === 0) throw new SipSyntaxError('Empty start line');
  if (line.startsWith('SIP/') || line.startsWith('sip/')) {
    const sp1 = line.indexOf(' ');
    const version = sp1 < 0 ? line : line.slice(0, sp1);
    if (version.toUpperCase() !== SIP_VERSION) throw new SipSyntaxError('Version Not Supported', 505);
    const sp2 = line.indexOf(' ', sp1 + 1);
    const code = line.slice(sp1 + 1, sp2 < 0 ? line.length : sp2);
    if (!/^[1-6][0-9][0-9]$/.test(code)) throw new SipSyntaxError('Bad Status-Code');
    return new SipResponse(Number(code), sp2 < 0 ? '' : line.slice(sp2 + 1), new Headers());
  }
  // The well-formed case, `Method SP Request-URI SP SIP-Version` with single spaces, without the
  // arrays of the general path below (which tells the malformed cases apart).
  const sp1 = line.indexOf(' ');
  const sp2 = sp1 > 0 ? line.indexOf(' ', sp1 + 1) : -1;
  if (sp2 > sp1 + 1 && sp2 < line.length - 1 && line.indexOf(' ', sp2 + 1) < 0) {
    const m = line.slice(0, sp1);
    if (!isToken(m)) throw new SipSyntaxError('Bad Method');
    const request = new SipRequest(m, line.slice(sp1 + 1, sp2), new Headers());
    checkRequestVersion(line.slice(sp2 + 1), errors);
    return request;
  }
  const parts = line.split(' ');
  const method = parts[0];
  if (!isToken(method)) throw new SipSyntaxError('Bad Method');
  const rest = parts.slice(1).filter((p) => p.length > 0);
  if (rest.length < 2) throw new SipSyntaxError('Malformed Request-Line');
  const request = new SipRequest(method, rest[0], new Headers());
  const version = rest[rest.length - 1];
  if (parts.length !== 3) {
    if (parts[parts.length - 1] === '') errors.push(new SipSyntaxError('Trailing white space in Request-Line'));
    else if (parts.indexOf('') >= 0) errors.push(new SipSyntaxError('Multiple spaces in Request-Line'));
    else errors.push(new SipSyntaxError('White space inside Request-URI'));
  } else {
    checkRequestVersion(version, errors);
  }
  return request;
}

/** A Request-Line's SIP-Version: another version is 505 (§21.5.16), anything else 400. */
function checkRequestVersion(version: string, errors: SipSyntaxError[]): void {
  if (version.toUpperCase() === SIP_VERSION) return;
  errors.push(
    /^SIP\/[0-9]+\.[0-9]+$/i.test(version)
      ? new SipSyntaxError('Version Not Supported', 505)
      : new SipSyntaxError('Bad SIP-Version'),
  );
}

/**
 * Content-Length of the headers (§20.14): digits only (a negative value is RFC 4475 §3.1.2.3
 * `ncl`), several lines must agree. `undefined` when absent.
 */
export function contentLength(headers: Headers): number | undefined {
  let length: number | undefined;
  for (const f of headers._fields()) {
    if (f.key !== 'content-length') continue;
    const v = f.value;
    if (v.startsWith('-')) throw new SipSyntaxError('Negative Content-Length');
    if (!/^[0-9]{1,10}$/.test(v)) throw new SipSyntaxError('Bad Content-Length');
    const n = Number(v);
    if (length !== undefined && length !== n) throw new SipSyntaxError('Conflicting Content-Length values');
    length = n;
  }
  return length;
}
