import type { StartTimer } from '../h245/h245-timer';
import type { H245TimerValues } from '../h245/h245-timer';

/** One log method (pino's shape): a structured object and a message. */
export type H323LogFn = (obj: object, msg: string) => void;

/** The logger the H.323 layer is given; a pino logger fits as it is. */
export interface H323Logger {
  debug: H323LogFn;
  info: H323LogFn;
  warn: H323LogFn;
}

/** What went wrong on a connection, for the malformed-frame metric. */
export type H323FaultKind = 'tpkt' | 'q931' | 'per' | 'unexpected' | 'timeout' | 'too-long';

/** Where the H.323 layer reports for metrics, as the SIP layer's `SipCounters` do. */
export interface H323Counters {
  /** A Setup was read and became a call. */
  call?(): void;
  /** A frame or connection was refused: malformed, too long, too slow, or not what the call's state expects. */
  fault?(kind: H323FaultKind): void;
  /** A connection refused at once: the source has too many open. */
  connectionRefused?(): void;
}

/** Settings of the H.225.0 call signalling listener (H.323 §7.2: TCP port 1720 by default). */
export interface H323ServerOptions {
  host: string;
  port: number;
  /** The address confgate gives for a separate H.245 connection (the bind address when it is not a wildcard). */
  advertisedHost: string;
  /** Longest TPKT frame accepted (header included); a longer one closes the connection before it is read. */
  maxFrameBytes?: number;
  /** A connection that sends no Setup within this long is closed (ms; default 10 s). */
  setupTimeoutMs?: number;
  /** A frame begun but not finished within this long closes the connection (ms; default 5 s). */
  partialFrameTimeoutMs?: number;
  /** Open connections one source address may hold (default 20). */
  maxConnectionsPerSource?: number;
  log: H323Logger;
  counters?: H323Counters;
  /** H.245 timers (default {@link H245_TIMERS}) and the timer to run them on (default node's). */
  h245Timers?: H245TimerValues;
  timer?: StartTimer;
}
