import { TimerWheel } from '../../../src/sip/timer/timer-wheel';
import type { Transaction, TransactionContext } from '../../../src/sip/transaction/transaction';
import type { TransactionChannel, TransportErrorSink } from '../../../src/sip/transport/channel';
import { DEFAULT_TRANSACTION_TIMERS } from '../../../src/sip/transaction/transaction-timers';
import type { TransactionFailure } from '../../../src/sip/transaction/transaction';

/** A channel that records what a transaction sends and can fail on demand. */
export class RecordingChannel implements TransactionChannel {
  readonly sent: string[] = [];
  failNext = false;
  constructor(readonly reliable: boolean) {}
  send(data: Buffer, sink: TransportErrorSink): void {
    if (this.failNext) {
      this.failNext = false;
      sink.transportError();
      return;
    }
    this.sent.push(data.toString());
  }
}

/** A transaction context on a fresh wheel with the RFC default timers; call after jest.useFakeTimers(). */
export function harness(reliable = false): {
  ctx: TransactionContext;
  channel: RecordingChannel;
  terminated: Transaction[];
  wheel: TimerWheel;
} {
  const terminated: Transaction[] = [];
  const wheel = new TimerWheel(10);
  const ctx: TransactionContext = {
    wheel,
    timers: DEFAULT_TRANSACTION_TIMERS,
    owner: { transactionTerminated: (tx) => terminated.push(tx) },
  };
  return { ctx, channel: new RecordingChannel(reliable), terminated, wheel };
}

/** A transaction user recording what it is told. */
export class RecordingUser {
  readonly responses: number[] = [];
  readonly failures: TransactionFailure[] = [];
  receiveResponse(_r: string, status: number): void {
    this.responses.push(status);
  }
  transactionFailed(reason: TransactionFailure): void {
    this.failures.push(reason);
  }
  ackFor(response: string): Buffer {
    return Buffer.from(`ACK for ${response}`);
  }
}

/** Advances fake time by 10 ms steps up to `total` ms and returns the times (ms) at which something was sent. */
export function sendTimes(channel: { sent: string[] }, total: number): number[] {
  const times: number[] = [];
  for (let t = 10; t <= total; t += 10) {
    const before = channel.sent.length;
    jest.advanceTimersByTime(10);
    if (channel.sent.length > before) times.push(t);
  }
  return times;
}
