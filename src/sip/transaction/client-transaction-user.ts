import type { Transaction, TransactionFailure } from './transaction';

/** The transaction user (UAC core) above a client transaction (RFC 3261 §17.1). */
export interface ClientTransactionUser<Res> {
  /** A response the transaction passes up: provisional, final, and for INVITE every 2xx (RFC 6026 §8.4). */
  receiveResponse(response: Res, statusCode: number): void;
  /** Timer B/F fired or the transport failed (§17.1.1.2, §17.1.2.2, §17.1.4). */
  transactionFailed(reason: TransactionFailure, tx: Transaction): void;
}

/** An INVITE's user also builds the ACK for a non-2xx final response (§17.1.1.3). */
export interface InviteClientTransactionUser<Res> extends ClientTransactionUser<Res> {
  ackFor(response: Res): Buffer;
}

/** The user of a server transaction hears only about failures; requests arrive through the core. */
export interface ServerTransactionUser {
  /** Timer H fired without an ACK, or the response could not be sent (§17.2.1, §17.2.4). */
  transactionFailed(reason: TransactionFailure, tx: Transaction): void;
}
