import type { SipMessage } from './sip-message';

/**
 * Serializes a message to bytes (RFC 3261 §7): start line, header lines in order as `Name: value`,
 * an empty line and the body. Content-Length is always written and always matches the body (§18.3,
 * §20.14): an existing Content-Length line keeps its place and spelling (`l:` stays compact), one is
 * appended when missing, and duplicates are dropped.
 */
export function serialize(message: SipMessage): Buffer {
  const body = message.body;
  let head = message.startLine() + '\r\n';
  let hasLength = false;
  for (const f of message.headers._fields()) {
    if (f.key === 'content-length') {
      if (!hasLength) head += f.name + ': ' + body.length + '\r\n';
      hasLength = true;
    } else {
      head += f.name + ': ' + f.value + '\r\n';
    }
  }
  if (!hasLength) head += 'Content-Length: ' + body.length + '\r\n';
  head += '\r\n';
  if (body.length === 0) return Buffer.from(head, 'utf8');
  const headLength = Buffer.byteLength(head, 'utf8');
  const out = Buffer.allocUnsafe(headLength + body.length);
  out.write(head, 0, 'utf8');
  body.copy(out, headLength);
  return out;
}
