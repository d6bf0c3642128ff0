/**
 * Memory per lingering SIP transaction (child of `bench/sip-bench.ts`, run with --expose-gc):
 * builds N server transactions in the states they linger in after a call — non-INVITE Completed
 * (Timer J, 32 s: the BYE's), INVITE Accepted (Timer L, 32 s: the 200 OK's) and INVITE Confirmed
 * (Timer I, 5 s, after a non-2xx) — each holding what it holds in production (its key, its response
 * route, the last response bytes where the RFC needs them, one wheel timer), and reports the heap
 * and buffer growth per transaction. Prints one JSON line.
 */
import { TimerWheel } from '../src/sip/timer/timer-wheel';
import { TransactionLayer } from '../src/sip/transaction/transaction-layer';
import { DEFAULT_TRANSACTION_TIMERS } from '../src/sip/transaction/transaction-timers';
import { TransportLayer } from '../src/sip/transport/transport-layer';
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

function measure(kind: 'non-invite-completed' | 'invite-accepted' | 'invite-confirmed'): number {
  const wheel = new TimerWheel(10, 1024);
  const layer = new TransactionLayer(wheel, DEFAULT_TRANSACTION_TIMERS);
  const user = { transactionFailed: () => undefined };
  // Never started: only its channel factory is used, so the channels are the production objects.
  const transport = new TransportLayer({
    listen: [{ protocol: 'udp', host: '127.0.0.1', port: 0 }],
    maxMessageBytes: 65535,
    idleTimeoutMs: 1000,
    connectTimeoutMs: 1000,
    log: pino({ level: 'silent' }),
  });
  const txs: unknown[] = [];
  gc();
  const before = used();
  for (let i = 0; i < N; i++) {
    // One response route per transaction, as the user agent core creates them.
    const channel = transport.channel({ protocol: 'udp', host: '127.0.0.1', port: 5060 + (i % 1000) });
    const key = `z9hG4bK-${i}-7|127.0.0.1:5060|${kind === 'non-invite-completed' ? 'BYE' : 'INVITE'}`;
    if (kind === 'non-invite-completed') {
      layer.createNonInviteServer(key, channel, user).respond(200, response(i, '200 OK'));
    } else if (kind === 'invite-accepted') {
      layer.createInviteServer(key, channel, user, [`${i}SIPpTag001\n${i}-4242@127.0.0.1\n1\nINVITE`, `z9hG4bK-${i}-0`]).respond(200, response(i, '200 OK'));
    } else {
      const tx = layer.createInviteServer(key, channel, user);
      tx.respond(486, response(i, '486 Busy Here'));
      tx.receiveAck();
    }
  }
  gc();
  const perTx = (used() - before) / N;
  txs.push(layer);
  layer.dispose();
  wheel.dispose();
  void transport.stop();
  return perTx;
}

const result = {
  transactions: N,
  bytesPerTransaction: {
    nonInviteCompleted: Math.round(measure('non-invite-completed')),
    inviteAccepted: Math.round(measure('invite-accepted')),
    inviteConfirmed: Math.round(measure('invite-confirmed')),
  },
};
process.stdout.write(JSON.stringify(result) + '\n');
