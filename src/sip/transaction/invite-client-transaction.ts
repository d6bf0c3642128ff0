import { Transaction, TransactionState as S, type TransitionTable, type TransactionContext } from './transaction';
import type { TransactionChannel } from '../transport/channel';
import { TimerKind } from './transaction-timers';
import type { InviteClientTransactionUser } from './client-transaction-user';

/** The arrows of the state machine's figure, shared by every instance. */
const INVITE_CLIENT_TRANSITIONS: TransitionTable = {
  [S.Calling]: [S.Proceeding, S.Accepted, S.Completed, S.Terminated],
  [S.Proceeding]: [S.Accepted, S.Completed, S.Terminated],
  [S.Accepted]: [S.Terminated],
  [S.Completed]: [S.Terminated],
};

/**
 * INVITE client transaction, RFC 3261 §17.1.1 (figure 5) as updated by RFC 6026 §8.4 (Accepted
 * state, Timer M): 2xx responses go to the TU, which sends the ACK itself (§13.2.2.4).
 */
export class InviteClientTransaction<Res> extends Transaction {
  protected readonly transitions = INVITE_CLIENT_TRANSITIONS;
  private request: Buffer | null;
  private ack: Buffer | null = null;

  constructor(
    key: string,
    ctx: TransactionContext,
    channel: TransactionChannel,
    request: Buffer,
    protected override readonly user: InviteClientTransactionUser<Res>,
  ) {
    super(key, ctx, channel, user, S.Calling);
    this.request = request;
  }

  /**
   * "the client transaction MUST start timer A with a value of T1" if unreliable, and "MUST start
   * timer B with a value of 64*T1" in any case (§17.1.1.2).
   */
  start(): void {
    this.armRetransmission(TimerKind.A, TimerKind.B);
    this.send(this.request!);
  }

  /**
   * After a CANCEL the INVITE may never see its 487; §9.1 lets the transaction end 64*T1 later,
   * so Timer B is armed again whatever the state.
   */
  cancelSent(): void {
    if (this.state === S.Calling || this.state === S.Proceeding)
      this.arm('timeoutTimer', TimerKind.B, 64 * this.ctx.timers.t1);
  }

  receiveResponse(response: Res, statusCode: number): void {
    switch (this.state) {
      case S.Calling:
      case S.Proceeding:
        if (statusCode < 200) {
          // §17.1.1.2: "If the client transaction receives a provisional response while in the
          // "Calling" state, it transitions to the "Proceeding" state ... SHOULD NOT retransmit".
          if (this.state === S.Calling) {
            this.clearTimers();
            this.transition(S.Proceeding);
          }
          this.user.receiveResponse(response, statusCode);
        } else if (statusCode < 300) {
          // RFC 6026 §8.4: a 2xx moves to Accepted and starts Timer M; the TU sends the ACK.
          this.clearTimers();
          this.request = null;
          this.transition(S.Accepted);
          this.arm('timeoutTimer', TimerKind.M, 64 * this.ctx.timers.t1);
          this.user.receiveResponse(response, statusCode);
        } else {
          // §17.1.1.2: 300–699 → Completed, ACK, Timer D (0 s on reliable transports).
          this.clearTimers();
          this.request = null;
          this.ack = this.user.ackFor(response);
          this.transition(S.Completed);
          if (!this.channel.reliable) this.arm('timeoutTimer', TimerKind.D, this.ctx.timers.d);
          this.send(this.ack);
          this.user.receiveResponse(response, statusCode);
          if (this.channel.reliable) this.transition(S.Terminated);
        }
        return;
      case S.Accepted:
        // RFC 6026 §8.4: "any 2xx responses that match this client transaction ... MUST be passed up to the TU".
        if (statusCode >= 200 && statusCode < 300) this.user.receiveResponse(response, statusCode);
        return;
      case S.Completed:
        // §17.1.1.2: "Any retransmissions of the final response ... MUST cause the ACK to be re-passed".
        if (statusCode >= 300 && this.ack) this.send(this.ack);
        return;
      default:
        return;
    }
  }

  onTimer(kind: TimerKind): void {
    switch (kind) {
      case TimerKind.A:
        // §17.1.1.2: "retransmit the request ... reset the timer with a value of 2*T1".
        if (this.state !== S.Calling || !this.request) return;
        this.send(this.request);
        this.interval *= 2;
        this.arm('retransmitTimer', TimerKind.A, this.interval);
        return;
      case TimerKind.B:
        // §17.1.1.2: "If ... still in the "Calling" state when timer B fires, ... inform the TU that a timeout has occurred".
        if (this.state !== S.Calling && this.state !== S.Proceeding) return;
        this.transition(S.Terminated);
        this.user.transactionFailed('timeout', this);
        return;
      case TimerKind.D:
      case TimerKind.M:
        this.transition(S.Terminated);
        return;
      default:
        return;
    }
  }

  protected override outcomeDelivered(): boolean {
    return this.state !== S.Calling && this.state !== S.Proceeding;
  }

  protected releaseMessages(): void {
    this.request = null;
    this.ack = null;
  }
}
