/**
 * Timer values of RFC 3261 §17.1.1.1 and Table 4. Configurable because networks with long round
 * trips raise T1; every other timer derives from these three.
 */
export interface TransactionTimerConfig {
  /** RTT estimate, default 500 ms. */
  t1: number;
  /** Maximum retransmit interval for non-INVITE requests and INVITE responses, default 4 s. */
  t2: number;
  /** Maximum time a message stays in the network, default 5 s. */
  t4: number;
  /** Timer D (wait for response retransmissions), at least 32 s on unreliable transports. */
  d: number;
}

export const DEFAULT_TRANSACTION_TIMERS: TransactionTimerConfig = { t1: 500, t2: 4000, t4: 5000, d: 32000 };

/** The timer names of RFC 3261 Table 4 and RFC 6026 §8.4 (L) and §8.11 (M). */
export enum TimerKind {
  A = 1,
  B,
  D,
  E,
  F,
  G,
  H,
  I,
  J,
  K,
  L,
  M,
}
