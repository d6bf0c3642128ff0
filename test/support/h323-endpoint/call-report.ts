/**
 * What a test call saw and did, for assertions and failure messages: every message in order (H.225.0
 * and H.245, tunnelled or not), every TPKT frame both ways (for tshark and the Erlang oracle), frames
 * that did not decode, the release, the channels and the digits sent.
 */
import type { MultimediaSystemControlMessage as H245Message } from '../../../src/h323/generated/h245-types';
import type { SignallingFrame } from '../../../src/h323/signalling-frame';
import type { OpenChannel } from './fast-start-answer';
import type { H245State } from './h245-terminal';
import type { ReceivedRtp } from './media-socket';
import type { DigitMethod } from './user-input';

export type Direction = 'sent' | 'received';

export interface LoggedMessage {
  direction: Direction;
  /** `h225`: call signalling; `h245`: on its own connection; `h245-tunnelled`: inside an H.225.0 message */
  channel: 'h225' | 'h245' | 'h245-tunnelled';
  /** `setup`, `connect/connect`, `facility/empty`, `request/terminalCapabilitySet`, ... */
  name: string;
  atMs: number;
}

export interface LoggedFrame {
  direction: Direction;
  channel: 'h225' | 'h245';
  bytes: Uint8Array;
}

export interface Release {
  by: 'peer' | 'us' | 'connection-lost';
  /** Q.931 cause value (Q.850) of the ReleaseComplete */
  cause?: number;
  /** H.225.0 ReleaseCompleteReason alternative */
  reason?: string;
}

export interface CallReport {
  established: boolean;
  messages: LoggedMessage[];
  frames: LoggedFrame[];
  /** frames that did not decode, with the decoder's reason */
  receiveErrors: string[];
  /** fastStart elements the peer accepted; undefined when it answered none */
  fastStartAccepted?: boolean;
  /** channels the fastStart answer opened; those H.245 opened are in `h245.channels` */
  fastStartChannels: OpenChannel[];
  h245: H245State;
  /** H.245 carried on its own TCP connection, and who opened it */
  separateH245?: 'we-connected' | 'peer-connected';
  rtp: ReceivedRtp;
  digitsSent: Array<{ digits: string; method: DigitMethod }>;
  /** user input the peer sent us: H.245 alphanumeric/signal and Q.931 keypad */
  userInputReceived: string[];
  release?: Release;
}

/** `setup`, `facility/empty`: the Q.931 message type and, where it differs, the H.225.0 body. */
export function h225Name(f: SignallingFrame): string {
  const body = f.userInformation ? Object.keys(f.userInformation['h323-uu-pdu']['h323-message-body'])[0] : undefined;
  return body === undefined || body === f.q931.messageType ? f.q931.messageType : `${f.q931.messageType}/${body}`;
}

/** `request/terminalCapabilitySet`, `indication/userInput`. */
export function h245Name(m: H245Message): string {
  const [kind, inner] = Object.entries(m)[0] as [string, object];
  return `${kind}/${Object.keys(inner)[0] ?? ''}`;
}
