import type { TimerEntry, TimerTarget, TimerWheel } from '../timer/timer-wheel';
import type { TimerKind, TransactionTimerConfig } from './transaction-timers';
import type { TransactionChannel, TransportErrorSink } from '../transport/channel';

/** States of the four state machines of RFC 3261 §17 (figures 5–8) with RFC 6026's Accepted. */
export enum TransactionState {
  Calling = 'calling',
  Trying = 'trying',
  Proceeding = 'proceeding',
  Accepted = 'accepted',
  Completed = 'completed',
  Confirmed = 'confirmed',
  Terminated = 'terminated',
}

/** Allowed transitions of one kind of transaction, from → to. */
export type TransitionTable = Readonly<Partial<Record<TransactionState, readonly TransactionState[]>>>;

/** Why a transaction ended without a final answer for its user. */
export type TransactionFailure = 'timeout' | 'transport';

/** Who hears that a transaction failed: its transaction user. */
export interface TransactionFailureSink {
  transactionFailed(reason: TransactionFailure, tx: Transaction): void;
}

/** Told when a transaction reaches Terminated so it can be dropped from the branch map. */
export interface TransactionOwner {
  transactionTerminated(tx: Transaction): void;
}

/** What every transaction of one stack shares: one object, not one per transaction. */
export interface TransactionContext {
  readonly wheel: TimerWheel;
  readonly timers: TransactionTimerConfig;
  readonly owner: TransactionOwner;
}

/**
 * The common part of the four transactions: the state, the two timer slots a transaction needs at
 * most at once (A+B, E+F, G+H), and the one place where transitions are checked.
 */
export abstract class Transaction implements TimerTarget, TransportErrorSink {
  state: TransactionState;
  protected retransmitTimer: TimerEntry | null = null;
  protected timeoutTimer: TimerEntry | null = null;
  /** A second key the owner indexes this transaction under (merged-request detection, §8.2.2.2). */
  aliasKey: string | undefined;
  /** Current retransmission interval, doubled per firing (§17.1.1.2, §17.1.2.2, §17.2.1). */
  protected interval = 0;

  /** @param key the branch-based key the owner's Map holds this transaction under (§17.1.3, §17.2.3) */
  constructor(
    readonly key: string,
    protected readonly ctx: TransactionContext,
    protected readonly channel: TransactionChannel,
    protected readonly user: TransactionFailureSink,
    initial: TransactionState,
  ) {
    this.state = initial;
  }

  /** Allowed transitions of this kind's state machine, from → to. */
  protected abstract readonly transitions: TransitionTable;

  abstract onTimer(kind: TimerKind): void;

  /**
   * §17.1.4, §17.2.4: a transport failure terminates the transaction and is reported to the TU
   * unless the transaction had already delivered its outcome (`outcomeDelivered`).
   */
  transportError(): void {
    if (this.state === TransactionState.Terminated) return;
    const inform = !this.outcomeDelivered();
    this.transition(TransactionState.Terminated);
    if (inform) this.user.transactionFailed('transport', this);
  }

  /** Whether the TU already has what this transaction was for (a client's final response). */
  protected outcomeDelivered(): boolean {
    return false;
  }

  /**
   * Starts the two timers of a retransmitting state: `retransmit` at T1 on unreliable transports
   * (A, E, G) and `timeout` at 64*T1 (B, F, H), §17.1.1.2, §17.1.2.2, §17.2.1.
   */
  protected armRetransmission(retransmit: TimerKind, timeout: TimerKind): void {
    const { t1 } = this.ctx.timers;
    if (!this.channel.reliable) {
      this.interval = t1;
      this.arm('retransmitTimer', retransmit, t1);
    }
    this.arm('timeoutTimer', timeout, 64 * t1);
  }

  /**
   * Moves to a new state, refusing one the RFC figure does not draw, and disposes on Terminated
   * so no timer outlives the transaction.
   */
  protected transition(to: TransactionState): void {
    // A send can fail synchronously and terminate the transaction under its caller's feet.
    if (to === TransactionState.Terminated && this.state === TransactionState.Terminated) return;
    const allowed = this.transitions[this.state];
    if (!allowed?.includes(to)) throw new Error(`invalid transaction transition ${this.state} -> ${to} (${this.key})`);
    this.state = to;
    if (to === TransactionState.Terminated) {
      this.dispose();
      this.ctx.owner.transactionTerminated(this);
    }
  }

  protected arm(slot: 'retransmitTimer' | 'timeoutTimer', kind: TimerKind, delayMs: number): void {
    this.ctx.wheel.cancel(this[slot]);
    this[slot] = this.ctx.wheel.schedule(this, kind, delayMs);
  }

  protected clearTimers(): void {
    this.ctx.wheel.cancel(this.retransmitTimer);
    this.ctx.wheel.cancel(this.timeoutTimer);
    this.retransmitTimer = null;
    this.timeoutTimer = null;
  }

  /** Cancels every timer and releases held messages; the state becomes Terminated. */
  dispose(): void {
    this.clearTimers();
    this.releaseMessages();
    this.state = TransactionState.Terminated;
  }

  /** Drops buffered messages no longer needed, so a lingering transaction stays small. */
  protected abstract releaseMessages(): void;

  protected send(data: Buffer): void {
    this.channel.send(data, this);
  }
}
