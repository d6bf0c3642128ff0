/**
 * Memory per lingering SIP transaction (child of `bench/sip-bench.ts`, run with --expose-gc):
 * builds N server transactions in the states they linger in after a call — non-INVITE Completed
 * (Timer J, 32 s: the BYE's), INVITE Accepted (Timer L, 32 s: the 200 OK's) and INVITE Confirmed
 * (Timer I, 5 s, after a non-2xx) — each holding what it holds in production (its key, its response
 * route, the last response bytes where the RFC needs them, one wheel timer), and reports the heap
 * and buffer growth per transaction. As in production, keys come from requests parsed off the wire
 * (so anything a key still shares with the request's text is counted) and responses are small
 * pooled Buffers as `serialize` makes them. Prints one JSON line. It measures the transaction layer
 * itself, so it is the one benchmark that imports SIP internals rather than the `src/sip` face.
 */
import { TimerWheel } from '../src/sip/timer/timer-wheel';
import { TransactionLayer, serverTransactionKey } from '../src/sip/transaction/transaction-layer';
import { DEFAULT_TRANSACTION_TIMERS } from '../src/sip/transaction/transaction-timers';
import { TransportLayer } from '../src/sip/transport/transport-layer';
import { mergedRequestKey } from '../src/sip/core/loop-detection';
import { parseMessage, type SipRequest } from '../src/sip/message';
import { createSocket } from 'node:dgram';
import pino from 'pino';

const N = Number(process.env.BENCH_SIP_TX ?? 50_000);

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (!g) throw new Error('run with --expose-gc');
  g();
  g();
}

function used(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** A response of realistic size, different per transaction (as the real ones are). */
function response(i: number, status: string): Buffer {
  return Buffer.from(
    `SIP/2.0 ${status}\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-${i}-7;rport=5060;received=127.0.0.1\r\n` +
      `From: sipp <sip:sipp@127.0.0.1:5060>;tag=${i}SIPpTag001\r\nTo: service <sip:service@127.0.0.1:5070>;tag=${(i * 7919).toString(16)}\r\n` +
      `Call-ID: ${i}-4242@127.0.0.1\r\nCSeq: 2 BYE\r\nServer: confgate/0.1.0\r\nContent-Length: 0\r\n\r\n`,
  );
}

/** A request as SIPp's `uac` scenario sends it (the INVITE with its SDP), parsed like a received datagram. */
function request(i: number, method: 'INVITE' | 'BYE'): SipRequest {
  const sdp =
    'v=0\r\no=user1 53655765 2353687637 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';
  const body = method === 'INVITE' ? sdp : '';
  const text =
    `${method} sip:service@127.0.0.1:5070 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-${i}-1-${method === 'INVITE' ? 0 : 6}\r\n` +
    `From: sipp <sip:sipp@127.0.0.1:5060>;tag=${i}SIPpTag001\r\nTo: service <sip:service@127.0.0.1:5070>${method === 'BYE' ? ';tag=' + (i * 7919).toString(16) : ''}\r\n` +
    `Call-ID: ${i}-4242@127.0.0.1\r\nCSeq: ${method === 'INVITE' ? 1 : 2} ${method}\r\nContact: sip:sipp@127.0.0.1:5060\r\nMax-Forwards: 70\r\n` +
    `Subject: Performance Test\r\n${body ? 'Content-Type: application/sdp\r\n' : ''}Content-Length: ${body.length}\r\n\r\n${body}`;
  const parsed = parseMessage(Buffer.from(text));
  if (!parsed.ok || !parsed.value.isRequest()) throw new Error('benchmark request does not parse');
  return parsed.value;
}

async function measure(kind: 'non-invite-completed' | 'invite-accepted' | 'invite-confirmed'): Promise<number> {
  const wheel = new TimerWheel(10, 1024);
  // Timer I (T4, 5 s) made long: on a loaded machine building 50,000 transactions can take longer
  // than 5 s, and the first ones must still be there when memory is read. Sizes do not depend on it.
  const layer = new TransactionLayer(wheel, { ...DEFAULT_TRANSACTION_TIMERS, t4: 600_000 });
  const user = { transactionFailed: () => undefined };
  // A started transport, so the channels are the production objects and a send really leaves (an
  // unbound socket would queue every datagram and the queue would be counted); the responses go to
  // a loopback socket that discards them.
  const transport = new TransportLayer({
    listen: [{ protocol: 'udp', host: '127.0.0.1', port: 0 }],
    maxMessageBytes: 65535,
    idleTimeoutMs: 1000,
    connectTimeoutMs: 1000,
    log: pino({ level: 'silent' }),
  });
  await transport.start({ receiveRequest: () => undefined, receiveResponse: () => undefined });
  const sink = createSocket('udp4');
  await new Promise<void>((resolve) => sink.bind(0, '127.0.0.1', resolve));
  sink.setRecvBufferSize(8 * 1024 * 1024);
  sink.on('message', () => undefined);
  const sinkPort = sink.address().port;
  await settle();
  const before = used();
  const began = Date.now();
  for (let i = 0; i < N; i++) {
    // In batches, so the socket's send queue drains (a full one fails sends, which ends transactions).
    if (i % 100 === 99) await new Promise((r) => setImmediate(r));
    // One response route per transaction, as the user agent core creates them (a fresh host string each, as rinfo gives).
    const channel = transport.channel({ protocol: 'udp', host: ['127.0.0', 1].join('.'), port: sinkPort });
    const req = request(i, kind === 'non-invite-completed' ? 'BYE' : 'INVITE');
    const key = serverTransactionKey(req);
    if (kind === 'non-invite-completed') {
      layer.createNonInviteServer(key, channel, user).respond(200, response(i, '200 OK'));
    } else if (kind === 'invite-accepted') {
      layer
        .createInviteServer(key, channel, user, [mergedRequestKey(req), req.branch ?? ''])
        .respond(200, response(i, '200 OK'));
    } else {
      const tx = layer.createInviteServer(key, channel, user);
      tx.respond(486, response(i, '486 Busy Here'));
      tx.receiveAck();
    }
  }
  await settle();
  const perTx = (used() - before) / N;
  if (layer.serverCount !== N)
    throw new Error(`${kind}: ${N - layer.serverCount} transactions ended early after ${Date.now() - began} ms`);
  layer.dispose();
  wheel.dispose();
  sink.close();
  await transport.stop();
  return perTx;
}

/** Lets pending send callbacks and the discarded datagrams drain, then collects garbage. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 200));
  gc();
}

async function main(): Promise<void> {
  const result = {
    transactions: N,
    bytesPerTransaction: {
      nonInviteCompleted: Math.round(await measure('non-invite-completed')),
      inviteAccepted: Math.round(await measure('invite-accepted')),
      inviteConfirmed: Math.round(await measure('invite-confirmed')),
    },
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

void main();
