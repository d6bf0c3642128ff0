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
 * headers, a huge Content-Length or binary noise gets an error, never unbounded memory.
 */
export class SipStreamFramer {
  private buffered: Buffer = EMPTY;
  private lineEnds = 0;
  private failure: SipSyntaxError | undefined;

  constructor(private readonly maxMessageSize: number = DEFAULT_MAX_MESSAGE_SIZE) {}

  /** Bytes held waiting for the rest of a message. */
  get bufferedBytes(): number {
    return this.buffered.length;
  }

  /** Feeds the next chunk read from the connection. */
  push(chunk: Buffer): FramedChunk {
    const out: FramedChunk = { messages: [], keepAlives: 0 };
    if (this.failure) {
      out.error = this.failure;
      return out;
    }
    const buf = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    let pos = 0;
    for (;;) {
      // CRLFs between messages are keep-alives (RFC 5626 §3.5.1) or padding (RFC 3261 §7.5).
      while (pos < buf.length && (buf[pos] === 0x0d || buf[pos] === 0x0a)) {
        if (buf[pos] === 0x0a) this.lineEnds++;
        pos++;
      }
      if (pos === buf.length) break;
      out.keepAlives += this.lineEnds >> 1;
      this.lineEnds = 0;
      const first = buf[pos];
      if (first >= 128 || TOKEN[first] !== 1) return this.fail(out, new SipSyntaxError('Garbage on stream'));
      const headEnd = buf.indexOf('\r\n\r\n', pos);
      if (headEnd < 0) {
        if (buf.length - pos > this.maxMessageSize) return this.fail(out, new SipSyntaxError('Message Too Large', 513));
        break;
      }
      const length = streamContentLength(buf.toString('latin1', pos, headEnd));
      if (length instanceof SipSyntaxError) return this.fail(out, length);
      const total = headEnd + 4 - pos + length;
      if (total > this.maxMessageSize) return this.fail(out, new SipSyntaxError('Message Too Large', 513));
      if (buf.length - pos < total) break;
      out.messages.push(buf.subarray(pos, pos + total));
      pos += total;
    }
    out.keepAlives += this.lineEnds >> 1;
    this.lineEnds &= 1;
    this.buffered = pos === buf.length ? EMPTY : buf.subarray(pos);
    return out;
  }

  private fail(out: FramedChunk, error: SipSyntaxError): FramedChunk {
    this.failure = error;
    this.buffered = EMPTY;
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
        if (length !== undefined && length !== Number(v)) return new SipSyntaxError('Conflicting Content-Length values');
        length = Number(v);
      }
    }
    pos = nl + 1;
  }
  return length ?? new SipSyntaxError('Missing Content-Length on stream');
}
