import { detached } from '../message/detached-string';
import type { SipRequest, SipResponse } from '../message/sip-message';
import type { TimerWheel } from '../timer/timer-wheel';
import { InviteClientTransaction } from './invite-client-transaction';
import { InviteServerTransaction } from './invite-server-transaction';
import { NonInviteClientTransaction } from './non-invite-client-transaction';
import { NonInviteServerTransaction } from './non-invite-server-transaction';
import type { Transaction, TransactionContext, TransactionOwner } from './transaction';
import type { TransactionChannel } from '../transport/channel';
import type {
  InviteClientTransactionUser,
  ClientTransactionUser,
  ServerTransactionUser,
} from './client-transaction-user';
import type { TransactionTimerConfig } from './transaction-timers';

export type ClientTransaction = InviteClientTransaction<SipResponse> | NonInviteClientTransaction<SipResponse>;
export type ServerTransaction = InviteServerTransaction | NonInviteServerTransaction;

/**
 * The key a server transaction is found by (§17.2.3): the top Via's branch, its sent-by and the
 * method, with ACK folded onto INVITE (it matches the INVITE's transaction) and CANCEL kept apart
 * (its own transaction, §9.2). Requests without the magic cookie (RFC 2543 peers) get a key from the
 * fields §17.2.3 names for them.
 */
export function serverTransactionKey(req: SipRequest, method = req.method): string {
  const via = req.via;
  const m = method === 'ACK' ? 'INVITE' : method;
  if (via.isRfc3261Branch) return via.branch + '|' + via.sentBy + '|' + m;
  return `2543|${req.requestUri.toString()}|${req.fromTag ?? ''}|${req.callId}|${req.cseq.seq}|${via.toString()}|${m}`;
}

/** The key a client transaction is found by when its response arrives (§17.1.3): branch and CSeq method. */
export function clientTransactionKey(branch: string, cseqMethod: string): string {
  return branch + '|' + cseqMethod;
}

/**
 * Every live transaction of one stack, in two Maps: found in O(1) by key, removed the moment they
 * terminate. Also the one context (wheel, timer values) they share.
 */
export class TransactionLayer implements TransactionOwner {
  readonly ctx: TransactionContext;
  private readonly clients = new Map<string, ClientTransaction>();
  private readonly servers = new Map<string, ServerTransaction>();
  /** Branch of each ongoing server transaction by merged-request key (RFC 3261 §8.2.2.2). */
  private readonly mergedBranches = new Map<string, string>();

  constructor(wheel: TimerWheel, timers: TransactionTimerConfig) {
    this.ctx = { wheel, timers, owner: this };
  }

  get clientCount(): number {
    return this.clients.size;
  }

  get serverCount(): number {
    return this.servers.size;
  }

  findServer(key: string): ServerTransaction | undefined {
    return this.servers.get(key);
  }

  /** The client transaction a response belongs to, or undefined (then it is a stray, §18.1.2). */
  findClient(res: SipResponse): ClientTransaction | undefined {
    const branch = res.branch;
    if (!branch) return undefined;
    return this.clients.get(clientTransactionKey(branch, res.cseq.method));
  }

  /** The branch of the ongoing server transaction with this merged-request key, if any. */
  branchOf(mergeKey: string): string | undefined {
    return this.mergedBranches.get(mergeKey);
  }

  /**
   * @param key copied ({@link detached}) before it is kept, like the merge strings: a server
   * transaction outlives its request by up to 64*T1, and must not keep the request's text alive
   * @param merge merged-request key and branch, for requests outside a dialog
   */
  createInviteServer(
    key: string,
    channel: TransactionChannel,
    user: ServerTransactionUser,
    merge?: readonly [string, string],
  ): InviteServerTransaction {
    return this.addServer(new InviteServerTransaction(detached(key), this.ctx, channel, user), merge);
  }

  createNonInviteServer(
    key: string,
    channel: TransactionChannel,
    user: ServerTransactionUser,
    merge?: readonly [string, string],
  ): NonInviteServerTransaction {
    return this.addServer(new NonInviteServerTransaction(detached(key), this.ctx, channel, user), merge);
  }

  private addServer<T extends ServerTransaction>(tx: T, merge: readonly [string, string] | undefined): T {
    this.servers.set(tx.key, tx);
    if (merge) {
      const alias = detached(merge[0]);
      tx.aliasKey = alias;
      this.mergedBranches.set(alias, detached(merge[1]));
    }
    return tx;
  }

  /** Creates and starts an INVITE client transaction (sends the request). */
  startInviteClient(
    branch: string,
    channel: TransactionChannel,
    request: Buffer,
    user: InviteClientTransactionUser<SipResponse>,
  ): InviteClientTransaction<SipResponse> {
    const key = clientTransactionKey(branch, 'INVITE');
    const tx = new InviteClientTransaction<SipResponse>(key, this.ctx, channel, request, user);
    this.clients.set(key, tx);
    tx.start();
    return tx;
  }

  /** Creates and starts a non-INVITE client transaction (sends the request). */
  startNonInviteClient(
    branch: string,
    method: string,
    channel: TransactionChannel,
    request: Buffer,
    user: ClientTransactionUser<SipResponse>,
  ): NonInviteClientTransaction<SipResponse> {
    const key = clientTransactionKey(branch, method);
    const tx = new NonInviteClientTransaction<SipResponse>(key, this.ctx, channel, request, user);
    this.clients.set(key, tx);
    tx.start();
    return tx;
  }

  transactionTerminated(tx: Transaction): void {
    if (this.servers.get(tx.key) === tx) {
      this.servers.delete(tx.key);
      if (tx.aliasKey !== undefined) this.mergedBranches.delete(tx.aliasKey);
    } else if (this.clients.get(tx.key) === tx) this.clients.delete(tx.key);
  }

  /** Terminates every transaction and its timers (shutdown). */
  dispose(): void {
    for (const tx of [...this.clients.values(), ...this.servers.values()]) tx.dispose();
    this.clients.clear();
    this.servers.clear();
    this.mergedBranches.clear();
  }
}
