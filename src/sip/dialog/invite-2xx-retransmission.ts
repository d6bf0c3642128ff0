import type { TimerEntry, TimerTarget, TimerWheel } from '../timer/timer-wheel';
import type { TransactionChannel, TransportErrorSink } from '../transport/channel';
import type { TransactionTimerConfig } from '../transaction/transaction-timers';

const RETRANSMIT = 1;
const GIVE_UP = 2;

/** Told when a 2xx to INVITE was never acknowledged. */
export interface AckTimeoutSink {
  ackTimedOut(wait: Invite2xxRetransmission): void;
}

/**
 * The UAS core's 2xx retransmission (RFC 3261 §13.3.1.4): "the 2xx response is passed to the
 * transport with an interval that starts at T1 seconds and doubles for each retransmission until it
 * reaches T2 seconds ... until it receives an ACK"; after 64*T1 without one the session "SHOULD be
 * terminated". On reliable transports only the give-up timer runs.
 */
export class Invite2xxRetransmission implements TimerTarget, TransportErrorSink {
  /** The key of the dialog the 2xx belongs to, so a missing ACK ends it without a search. */
  dialogKey: string | undefined;
  private retransmitTimer: TimerEntry | null = null;
  private giveUpTimer: TimerEntry | null = null;
  private interval: number;

  constructor(
    /** `Call-ID|To tag|CSeq number`, the ACK's coordinates. */
    readonly key: string,
    private readonly wheel: TimerWheel,
    private readonly timers: TransactionTimerConfig,
    private readonly channel: TransactionChannel,
    private data: Buffer | null,
    private readonly sink: AckTimeoutSink,
  ) {
    this.interval = timers.t1;
  }

  start(): void {
    if (!this.channel.reliable) this.retransmitTimer = this.wheel.schedule(this, RETRANSMIT, this.interval);
    this.giveUpTimer = this.wheel.schedule(this, GIVE_UP, 64 * this.timers.t1);
  }

  /** The ACK arrived. */
  stop(): void {
    this.wheel.cancel(this.retransmitTimer);
    this.wheel.cancel(this.giveUpTimer);
    this.retransmitTimer = null;
    this.giveUpTimer = null;
    this.data = null;
  }

  onTimer(kind: number): void {
    if (kind === RETRANSMIT && this.data) {
      this.interval = Math.min(2 * this.interval, this.timers.t2);
      this.retransmitTimer = this.wheel.schedule(this, RETRANSMIT, this.interval);
      this.channel.send(this.data, this);
    } else if (kind === GIVE_UP) {
      this.stop();
      this.sink.ackTimedOut(this);
    }
  }

  transportError(): void {
    if (!this.data) return;
    this.stop();
    this.sink.ackTimedOut(this);
  }
}
