/**
 * Property tests (fast-check): serialize(parse(x)) reproduces generated valid messages byte for
 * byte, serialization is a fixed point for anything that parses, and no input — random bytes, mutated
 * real messages, arbitrary stream chunking — makes the parser, the validation, the response builder or
 * the framer throw.
 */
import fc from 'fast-check';
import {
  SipStreamFramer,
  createResponse,
  headerKey,
  parseMessage,
  rejectionForParseFailure,
  serialize,
  validateRequest,
  validateResponse,
  type SipMessage,
} from '../../../src/sip/message';
import { CONFGATE_POLICY, rejectRequest } from '../../../src/sip/core';
import { LOOPBACK_INVITE, sip } from './sip-message-fixtures';

const TOKEN_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~";
const token = fc.string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: 1, maxLength: 12 });
const alnum = fc.string({
  unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'),
  minLength: 1,
  maxLength: 10,
});
const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((a) => a.join('.'));
const hostname = fc.array(alnum, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.') + '.example');
const ipv6 = fc.ipV6();
const host = fc.oneof(
  ipv4.map((h) => ({ text: h, host: h })),
  hostname.map((h) => ({ text: h, host: h })),
  ipv6.map((h) => ({ text: `[${h}]`, host: h })),
);
const port = fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined });
const uriParams = fc.array(fc.tuple(alnum, fc.option(alnum, { nil: null })), { maxLength: 3 });
const sipUri = fc.record({
  scheme: fc.constantFrom('sip', 'sips'),
  user: fc.option(alnum, { nil: undefined }),
  host,
  port,
  params: uriParams,
});
type GenUri = typeof sipUri extends fc.Arbitrary<infer T> ? T : never;
const uriText = (u: GenUri) =>
  `${u.scheme}:${u.user ? u.user + '@' : ''}${u.host.text}${u.port ? ':' + u.port : ''}` +
  u.params.map(([k, v]) => `;${k}${v === null ? '' : '=' + v}`).join('');
const quotedText = fc.string({ unit: fc.constantFrom(...'abc XYZ,;:<>@"\\é大'), maxLength: 12 });
const nameAddr = fc.record({ display: fc.option(quotedText, { nil: undefined }), uri: sipUri, tag: alnum });
const headerValue = fc
  .string({ unit: fc.constantFrom(...'abcdefghij ,;:=<>"/@()[]?!大é0123456789'), maxLength: 30 })
  .map((s) => s.trim());
const methods = fc.oneof(fc.constantFrom('INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'INFO', 'UPDATE'), token);

const generatedRequest = fc.record({
  method: methods,
  uri: sipUri,
  via: fc.record({ transport: fc.constantFrom('UDP', 'TCP', 'TLS'), host, port, branch: alnum, rport: fc.boolean() }),
  from: nameAddr,
  to: nameAddr,
  callId: fc.tuple(alnum, hostname).map(([a, b]) => `${a}@${b}`),
  cseq: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  maxForwards: fc.integer({ min: 0, max: 255 }),
  extra: fc.array(fc.tuple(token, headerValue), { maxLength: 6 }),
  body: fc.uint8Array({ maxLength: 300 }),
  /** When set, the message is a response to the generated request instead. */
  response: fc.option(
    fc.record({
      status: fc.integer({ min: 100, max: 699 }),
      reason: fc.string({ unit: fc.constantFrom(...'OK Ringing é大-='), maxLength: 20 }),
    }),
    { nil: undefined },
  ),
});

/** Generated extra headers must not repeat the ones the message already has once. */
const RESERVED = new Set(['via', 'from', 'to', 'call-id', 'cseq', 'max-forwards', 'content-length']);

function quoted(s: string): string {
  return '"' + s.replace(/["\\]/g, '\\$&') + '"';
}

describe('message properties', () => {
  it('serialize(parse(x)) === x for generated valid requests and responses, and the typed views match', () => {
    fc.assert(
      fc.property(generatedRequest, (g) => {
        const na = (n: typeof g.from) =>
          `${n.display === undefined ? '' : quoted(n.display) + ' '}<${uriText(n.uri)}>;tag=${n.tag}`;
        const via = `SIP/2.0/${g.via.transport} ${g.via.host.text}${g.via.port ? ':' + g.via.port : ''};branch=z9hG4bK${g.via.branch}${g.via.rport ? ';rport' : ''}`;
        const lines = [
          g.response ? `SIP/2.0 ${g.response.status} ${g.response.reason}` : `${g.method} ${uriText(g.uri)} SIP/2.0`,
          `Via: ${via}`,
          `Max-Forwards: ${g.maxForwards}`,
          `From: ${na(g.from)}`,
          `To: ${na(g.to)}`,
          `Call-ID: ${g.callId}`,
          `CSeq: ${g.cseq} ${g.method}`,
          ...g.extra.filter(([name]) => !RESERVED.has(headerKey(name))).map(([n, v]) => `${n}: ${v}`),
          `Content-Length: ${g.body.length}`,
        ];
        const bytes = Buffer.concat([sip(lines), Buffer.from(g.body)]);
        const outcome = parseMessage(bytes);
        if (!outcome.ok) throw outcome.error;
        expect(serialize(outcome.value).equals(bytes)).toBe(true);
        const r = outcome.value;
        expect(r.via.host).toBe(g.via.host.host);
        expect(r.via.port).toBe(g.via.port);
        if (r.isRequest()) expect(r.requestUri.host).toBe(g.uri.host.host);
        else expect([r.status, r.reason]).toEqual([g.response?.status, g.response?.reason]);
        expect(r.from.displayName).toBe(g.from.display);
        expect(r.toTag).toBe(g.to.tag);
        expect(r.cseq.seq).toBe(g.cseq);
        expect(r.body.equals(Buffer.from(g.body))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('random bytes never throw out of parse, validation or the response builder', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        pipeline(Buffer.from(bytes));
      }),
      { numRuns: 1000 },
    );
  });

  it('mutated real messages never throw, and a request that validates has all its views', () => {
    const seeds = [LOOPBACK_INVITE, serialize(createResponse(parsedInvite(), 200, undefined, { toTag: 'x' }))];
    const mutation = fc.tuple(
      fc.nat(seeds.length - 1),
      fc.array(
        fc.oneof(
          fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.nat(255) }),
          fc.record({
            kind: fc.constant('insert' as const),
            at: fc.nat(),
            text: fc.constantFrom(
              ' ',
              '\r\n',
              ';',
              ',',
              ':',
              '<',
              '>',
              '"',
              '\\',
              '\x00',
              '%',
              '[',
              '@',
              'SIP/2.0 ',
              '\r\n ',
            ),
          }),
          fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 20 }) }),
          fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
        ),
        { minLength: 1, maxLength: 5 },
      ),
    );
    fc.assert(
      fc.property(mutation, ([seed, edits]) => {
        let b = seeds[seed];
        for (const e of edits) {
          const at = e.at % (b.length + 1);
          if (e.kind === 'flip' && b.length > 0) {
            b = Buffer.from(b);
            b[at % b.length] = e.byte;
          } else if (e.kind === 'insert')
            b = Buffer.concat([b.subarray(0, at), Buffer.from(e.text, 'latin1'), b.subarray(at)]);
          else if (e.kind === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + e.length)]);
          else if (e.kind === 'truncate') b = b.subarray(0, at);
        }
        pipeline(b);
      }),
      { numRuns: 2000 },
    );
  });

  it('the stream framer cuts any chunking of a message sequence the same way, and stays bounded on noise', () => {
    const stream = Buffer.concat([LOOPBACK_INVITE, Buffer.from('\r\n\r\n'), LOOPBACK_INVITE, LOOPBACK_INVITE]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 60 }), (sizes) => {
        const framer = new SipStreamFramer(2048);
        const got: Buffer[] = [];
        let keepAlives = 0;
        let pos = 0;
        for (let i = 0; pos < stream.length; i++) {
          const n = sizes[i % sizes.length];
          const out = framer.push(stream.subarray(pos, pos + n));
          pos += n;
          expect(out.error).toBeUndefined();
          got.push(...out.messages);
          keepAlives += out.keepAlives;
        }
        expect(got).toHaveLength(3);
        for (const m of got) expect(m.equals(LOOPBACK_INVITE)).toBe(true);
        expect(keepAlives).toBe(1);
        expect(framer.bufferedBytes).toBe(0);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 1, maxLength: 500 }), { maxLength: 30 }), (chunks) => {
        const framer = new SipStreamFramer(1024);
        for (const c of chunks) {
          const out = framer.push(Buffer.from(c));
          for (const m of out.messages) pipeline(m);
          expect(framer.bufferedBytes).toBeLessThanOrEqual(1024 + 500);
        }
      }),
      { numRuns: 500 },
    );
  });
});

function parsedInvite() {
  const o = parseMessage(LOOPBACK_INVITE);
  if (!o.ok || !o.value.isRequest()) throw new Error('fixture');
  return o.value;
}

/** Everything the transport and core do with untrusted bytes; any throw fails the property. */
function pipeline(bytes: Buffer): void {
  const outcome = parseMessage(bytes);
  if (!outcome.ok) {
    const answer = rejectionForParseFailure(outcome);
    if (answer)
      serialize(createResponse(answer.request, answer.rejection.status, answer.rejection.reason, { toTag: 't' }));
    return;
  }
  const m = outcome.value;
  // Serialization is a fixed point after one pass: what we send parses back to the same bytes.
  const once = serialize(m);
  const again = parseMessage(once);
  if (!again.ok) throw new Error(`serialized message does not parse: ${again.error.reason}`);
  expect(serialize(again.value).equals(once)).toBe(true);
  if (!m.isRequest()) {
    if (!validateResponse(m)) touchViews(m);
    serialize(m);
    return;
  }
  const invalid = validateRequest(m);
  const rejection = rejectRequest(m, CONFGATE_POLICY, {
    branchOf: () => 'z9hG4bKother',
    localSentBys: new Set(['127.0.0.1:5060']),
  });
  if (!invalid) {
    touchViews(m);
    m.requestUri.toString();
    m.contacts.forEach((c) => c.toString());
    m.routes.forEach((r) => r.toString());
  }
  serialize(createResponse(m, rejection?.status ?? 200, undefined, { toTag: 't' }));
  serialize(m);
}

function touchViews(m: SipMessage): void {
  m.via.toString();
  m.vias.forEach((v) => v.toString());
  m.from.toString();
  m.to.toString();
  void m.callId;
  void m.cseq.seq;
}
