import { Transaction, TransactionState as S, type TransitionTable, type TransactionContext } from './transaction';
import type { TransactionChannel } from '../transport/channel';
import { TimerKind } from './transaction-timers';
import type { ServerTransactionUser } from './client-transaction-user';

/** The arrows of the state machine's figure, shared by every instance. */
const NON_INVITE_SERVER_TRANSITIONS: TransitionTable = {
  [S.Trying]: [S.Proceeding, S.Completed, S.Terminated],
  [S.Proceeding]: [S.Completed, S.Terminated],
  [S.Completed]: [S.Terminated],
};

/** Non-INVITE server transaction, RFC 3261 §17.2.2 (figure 8). */
export class NonInviteServerTransaction extends Transaction {
  protected readonly transitions = NON_INVITE_SERVER_TRANSITIONS;
  private lastResponse: Buffer | null = null;

  constructor(key: string, ctx: TransactionContext, channel: TransactionChannel, user: ServerTransactionUser) {
    super(key, ctx, channel, user, S.Trying);
  }

  get answered(): boolean {
    return this.state === S.Completed || this.state === S.Terminated;
  }

  /** Sends a response from the TU; false when already answered. */
  respond(statusCode: number, data: Buffer): boolean {
    if (this.state !== S.Trying && this.state !== S.Proceeding) return false;
    this.lastResponse = data;
    if (statusCode < 200) {
      if (this.state === S.Trying) this.transition(S.Proceeding);
      this.send(data);
      return true;
    }
    this.transition(S.Completed);
    this.send(data);
    // §17.2.2: Timer J = 64*T1 on unreliable transports, zero seconds on reliable ones.
    if (this.channel.reliable) this.transition(S.Terminated);
    else if ((this.state as S) === S.Completed) {
      // Kept for 32 s: a small Buffer is a view into an 8 KB pool slab, which it would keep alive
      // with everything else cut from it; an exact-size copy of its own holds only its bytes.
      this.lastResponse = ownCopy(data);
      this.arm('timeoutTimer', TimerKind.J, 64 * this.ctx.timers.t1);
    }
    return true;
  }

  /** A retransmission of the request: absorbed in Trying, answered with the last response after (§17.2.2). */
  receiveRequest(): void {
    if (this.state !== S.Trying && this.lastResponse) this.send(this.lastResponse);
  }

  onTimer(kind: TimerKind): void {
    if (kind === TimerKind.J && this.state === S.Completed) this.transition(S.Terminated);
  }

  protected releaseMessages(): void {
    this.lastResponse = null;
  }
}

function ownCopy(data: Buffer): Buffer {
  const copy = Buffer.allocUnsafeSlow(data.length);
  data.copy(copy);
  return copy;
}
