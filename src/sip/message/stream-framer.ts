import { DEFAULT_MAX_MESSAGE_SIZE } from './parse';
import { SipSyntaxError, TOKEN } from './syntax';

const EMPTY = Buffer.alloc(0);

/** What one {@link SipStreamFramer.push} produced. */
export interface FramedChunk {
  /** Complete messages, each ready for `parseMessage`. */
  messages: Buffer[];
  /**
   * Double-CRLF keep-alive pings seen (RFC 5626 §3.5.1); the transport answers each with a
   * single CRLF pong on the same connection.
   */
  keepAlives: number;
  /**
   * Set once the stream cannot be framed any more (garbage, a message over the size bound, a
   * message without Content-Length). The transport logs it and closes the connection: after an
   * error there is no way to find the next message boundary.
   */
  error?: SipSyntaxError;
}

/**
 * Cuts a TCP/TLS byte stream into SIP messages by Content-Length (RFC 3261 §18.3, where it is
 * mandatory on streams). Buffering is bounded by `maxMessageSize`: a peer that sends endless
 * headers, a huge Content-Length or binary noise gets an error, never unbounded memory. Work is
 * linear in the bytes received however the peer splits them: a partial message is appended to a
 * growing buffer (never re-copied per chunk), the header end is searched only in new bytes, and a
 * known message length is remembered until the body is complete.
 */
export class SipStreamFramer {
  /** Bytes of an incomplete message, `pending[0..pendingLength)`; capacity grows by doubling. */
  private pending: Buffer = EMPTY;
  private pendingLength = 0;
  /** Where to resume the search for the end of the pending message's head. */
  private scanFrom = 0;
  /** Total length of the pending message once its head is known, else 0. */
  private needed = 0;
  private lineEnds = 0;
  private failure: SipSyntaxError | undefined;

  constructor(private readonly maxMessageSize: number = DEFAULT_MAX_MESSAGE_SIZE) {}

  /** Bytes held waiting for the rest of a message. */
  get bufferedBytes(): number {
    return this.pendingLength;
  }

  /**
   * Feeds the next chunk read from the connection. Messages cut from a chunk that holds them whole
   * are views into it; messages completed from buffered bytes are copies, so the buffer can be reused.
   */
  push(chunk: Buffer): FramedChunk {
    const out: FramedChunk = { messages: [], keepAlives: 0 };
    if (this.failure) {
      out.error = this.failure;
      return out;
    }
    const buffered = this.pendingLength > 0;
    if (buffered) {
      this.append(chunk);
      if (this.needed > this.pendingLength) return out;
    }
    const data = buffered ? this.pending.subarray(0, this.pendingLength) : chunk;
    let pos = 0;
    let scanFrom = buffered ? this.scanFrom : 0;
    for (;;) {
      // CRLFs between messages are keep-alives (RFC 5626 §3.5.1) or padding (RFC 3261 §7.5).
      while (pos < data.length && (data[pos] === 0x0d || data[pos] === 0x0a)) {
        if (data[pos] === 0x0a) this.lineEnds++;
        pos++;
      }
      if (pos === data.length) break;
      out.keepAlives += this.lineEnds >> 1;
      this.lineEnds = 0;
      const first = data[pos];
      if (first >= 128 || TOKEN[first] !== 1) return this.fail(out, new SipSyntaxError('Garbage on stream'));
      const headEnd = data.indexOf('\r\n\r\n', Math.max(pos, scanFrom));
      scanFrom = 0;
      if (headEnd < 0) {
        if (data.length - pos > this.maxMessageSize)
          return this.fail(out, new SipSyntaxError('Message Too Large', 513));
        this.keep(data, pos, buffered, Math.max(0, data.length - pos - 3), 0);
        return out;
      }
      const length = streamContentLength(data.toString('latin1', pos, headEnd));
      if (length instanceof SipSyntaxError) return this.fail(out, length);
      const total = headEnd + 4 - pos + length;
      if (total > this.maxMessageSize) return this.fail(out, new SipSyntaxError('Message Too Large', 513));
      if (data.length - pos < total) {
        this.keep(data, pos, buffered, headEnd - pos, total);
        return out;
      }
      const message = data.subarray(pos, pos + total);
      out.messages.push(buffered ? Buffer.from(message) : message);
      pos += total;
    }
    out.keepAlives += this.lineEnds >> 1;
    this.lineEnds &= 1;
    this.pendingLength = 0;
    this.needed = 0;
    // An idle connection should not hold on to the room a large message needed.
    if (this.pending.length > 4096) this.pending = EMPTY;
    return out;
  }

  /** Keeps `data[pos..)` as the pending message, to be resumed at `scanFrom` and complete at `needed` bytes. */
  private keep(data: Buffer, pos: number, buffered: boolean, scanFrom: number, needed: number): void {
    if (buffered) {
      this.pending.copyWithin(0, pos, this.pendingLength);
      this.pendingLength -= pos;
    } else {
      this.pendingLength = 0;
      this.append(data.subarray(pos));
    }
    this.scanFrom = scanFrom;
    this.needed = needed;
  }

  private append(chunk: Buffer): void {
    const length = this.pendingLength + chunk.length;
    if (length > this.pending.length) {
      const grown = Buffer.allocUnsafe(Math.max(length, this.pending.length * 2, 1024));
      this.pending.copy(grown, 0, 0, this.pendingLength);
      this.pending = grown;
    }
    chunk.copy(this.pending, this.pendingLength);
    this.pendingLength = length;
  }

  private fail(out: FramedChunk, error: SipSyntaxError): FramedChunk {
    this.failure = error;
    this.pending = EMPTY;
    this.pendingLength = 0;
    out.error = error;
    return out;
  }
}

/** The Content-Length of a head read from a stream, where it is mandatory (§18.3, §20.14). */
function streamContentLength(head: string): number | SipSyntaxError {
  let length: number | undefined;
  let pos = head.indexOf('\n') + 1;
  while (pos > 0 && pos < head.length) {
    let nl = head.indexOf('\n', pos);
    if (nl < 0) nl = head.length;
    const colon = head.indexOf(':', pos);
    if (colon > pos && colon < nl) {
      const name = head.slice(pos, colon).trimEnd().toLowerCase();
      if (name === 'content-length' || name === 'l') {
        const v = head.slice(colon + 1, nl).trim();
        if (!/^[0-9]{1,10}$/.test(v)) return new SipSyntaxError('Bad Content-Length');
        if (length !== undefined && length !== Number(v))
          return new SipSyntaxError('Conflicting Content-Length values');
        length = Number(v);
      }
    }
    pos = nl + 1;
  }
  return length ?? new SipSyntaxError('Missing Content-Length on stream');
}
