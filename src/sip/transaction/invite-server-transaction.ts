import { Transaction, TransactionState as S, type TransitionTable, type TransactionContext } from './transaction';
import type { TransactionChannel } from '../transport/channel';
import { TimerKind } from './transaction-timers';
import type { ServerTransactionUser } from './client-transaction-user';

/** The arrows of the state machine's figure, shared by every instance. */
const INVITE_SERVER_TRANSITIONS: TransitionTable = {
  [S.Proceeding]: [S.Accepted, S.Completed, S.Terminated],
  [S.Accepted]: [S.Terminated],
  [S.Completed]: [S.Confirmed, S.Terminated],
  [S.Confirmed]: [S.Terminated],
};

/**
 * INVITE server transaction, RFC 3261 §17.2.1 (figure 7) as updated by RFC 6026 §8.5–8.7: a 2xx
 * moves to Accepted (Timer L) and the TU retransmits it until the ACK (§13.3.1.4).
 */
export class InviteServerTransaction extends Transaction {
  protected readonly transitions = INVITE_SERVER_TRANSITIONS;
  private lastResponse: Buffer | null = null;

  constructor(key: string, ctx: TransactionContext, channel: TransactionChannel, user: ServerTransactionUser) {
    super(key, ctx, channel, user, S.Proceeding);
  }

  /** Whether a final response was already sent (a CANCEL then gets its 200 but changes nothing, §9.2). */
  get answered(): boolean {
    return this.state !== S.Proceeding;
  }

  /**
   * Sends a response from the TU. Returns false when the state allows none (e.g. a second final),
   * so the caller can log instead of breaking the state machine.
   */
  respond(statusCode: number, data: Buffer): boolean {
    if (this.state === S.Proceeding) {
      // State and timers first, the send last: a synchronous transport error then finds a consistent state.
      if (statusCode < 200) {
        this.lastResponse = data;
      } else if (statusCode < 300) {
        // RFC 6026 §8.5: "If, while in the "Proceeding" state, the TU passes a 2xx response ..., the
        // server transaction MUST ... transition to the "Accepted" state ... [and] start timer L".
        this.lastResponse = null;
        this.transition(S.Accepted);
        this.arm('timeoutTimer', TimerKind.L, 64 * this.ctx.timers.t1);
      } else {
        // §17.2.1: 300–699 → Completed; Timer G (T1) if unreliable, Timer H (64*T1) always.
        this.lastResponse = data;
        this.transition(S.Completed);
        this.armRetransmission(TimerKind.G, TimerKind.H);
      }
      this.send(data);
      return true;
    }
    if (this.state === S.Accepted && statusCode >= 200 && statusCode < 300) {
      // RFC 6026 §8.7: 2xx retransmissions from the TU are sent while Accepted.
      this.send(data);
      return true;
    }
    return false;
  }

  /** A retransmission of the INVITE (same branch). */
  receiveRequest(): void {
    // §17.2.1: Proceeding → "the most recent provisional response ... MUST be passed to the transport";
    // Completed → "the response MUST be passed to the transport"; RFC 6026 §8.7: Accepted absorbs.
    if ((this.state === S.Proceeding || this.state === S.Completed) && this.lastResponse) this.send(this.lastResponse);
  }

  /** An ACK matching this transaction, i.e. for a non-2xx final (§17.2.1). */
  receiveAck(): void {
    if (this.state !== S.Completed) return; // Confirmed absorbs ACK retransmissions.
    this.clearTimers();
    this.lastResponse = null;
    this.transition(S.Confirmed);
    // §17.2.1: Timer I = T4 on unreliable transports, zero seconds on reliable ones.
    if (this.channel.reliable) this.transition(S.Terminated);
    else this.arm('timeoutTimer', TimerKind.I, this.ctx.timers.t4);
  }

  onTimer(kind: TimerKind): void {
    switch (kind) {
      case TimerKind.G:
        // §17.2.1: "the response is passed to the transport layer ... timer reset with min(2*T1, T2)".
        if (this.state !== S.Completed || !this.lastResponse) return;
        this.send(this.lastResponse);
        this.interval = Math.min(2 * this.interval, this.ctx.timers.t2);
        this.arm('retransmitTimer', TimerKind.G, this.interval);
        return;
      case TimerKind.H:
        // §17.2.1: "If timer H fires while in the "Completed" state, ... inform the TU that a failure has occurred".
        if (this.state !== S.Completed) return;
        this.transition(S.Terminated);
        this.user.transactionFailed('timeout', this);
        return;
      case TimerKind.I:
      case TimerKind.L:
        this.transition(S.Terminated);
        return;
      default:
        return;
    }
  }

  protected releaseMessages(): void {
    this.lastResponse = null;
  }
}
