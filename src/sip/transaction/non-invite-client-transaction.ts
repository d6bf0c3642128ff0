import { Transaction, TransactionState as S, type TransitionTable, type TransactionContext } from './transaction';
import type { TransactionChannel } from '../transport/channel';
import { TimerKind } from './transaction-timers';
import type { ClientTransactionUser } from './client-transaction-user';

/** The arrows of the state machine's figure, shared by every instance. */
const NON_INVITE_CLIENT_TRANSITIONS: TransitionTable = {
  [S.Trying]: [S.Proceeding, S.Completed, S.Terminated],
  [S.Proceeding]: [S.Completed, S.Terminated],
  [S.Completed]: [S.Terminated],
};

/** Non-INVITE client transaction, RFC 3261 §17.1.2 (figure 6). */
export class NonInviteClientTransaction<Res> extends Transaction {
  protected readonly transitions = NON_INVITE_CLIENT_TRANSITIONS;
  private request: Buffer | null;

  constructor(
    key: string,
    ctx: TransactionContext,
    channel: TransactionChannel,
    request: Buffer,
    protected override readonly user: ClientTransactionUser<Res>,
  ) {
    super(key, ctx, channel, user, S.Trying);
    this.request = request;
  }

  /** §17.1.2.2: Timer F (64*T1) always, Timer E (T1) on unreliable transports. */
  start(): void {
    this.armRetransmission(TimerKind.E, TimerKind.F);
    this.send(this.request!);
  }

  receiveResponse(response: Res, statusCode: number): void {
    if (this.state !== S.Trying && this.state !== S.Proceeding) return; // Completed absorbs retransmissions.
    if (statusCode < 200) {
      if (this.state === S.Trying) this.transition(S.Proceeding);
      this.user.receiveResponse(response, statusCode);
      return;
    }
    // §17.1.2.2: final response → Completed, Timer K = T4 (0 s on reliable transports).
    this.clearTimers();
    this.request = null;
    this.transition(S.Completed);
    this.user.receiveResponse(response, statusCode);
    if (this.channel.reliable) this.transition(S.Terminated);
    else this.arm('timeoutTimer', TimerKind.K, this.ctx.timers.t4);
  }

  onTimer(kind: TimerKind): void {
    switch (kind) {
      case TimerKind.E: {
        if (!this.request || (this.state !== S.Trying && this.state !== S.Proceeding)) return;
        this.send(this.request);
        // §17.1.2.2: doubled up to T2 in Trying; "in the Proceeding state ... T2".
        const { t2 } = this.ctx.timers;
        this.interval = this.state === S.Trying ? Math.min(2 * this.interval, t2) : t2;
        this.arm('retransmitTimer', TimerKind.E, this.interval);
        return;
      }
      case TimerKind.F:
        if (this.state !== S.Trying && this.state !== S.Proceeding) return;
        this.transition(S.Terminated);
        this.user.transactionFailed('timeout', this);
        return;
      case TimerKind.K:
        this.transition(S.Terminated);
        return;
      default:
        return;
    }
  }

  protected override outcomeDelivered(): boolean {
    return this.state === S.Completed;
  }

  protected releaseMessages(): void {
    this.request = null;
  }
}
