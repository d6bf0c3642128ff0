import type { Destination } from '../message/flow';
import type { SipRequest, SipResponse } from '../message/sip-message';
import type { ClientTransaction } from './transaction-layer';

/** What a request sender wants to hear besides the final response. */
export interface RequestHooks {
  onProvisional?: (res: SipResponse) => void;
  /** A 2xx to INVITE after the first one: a retransmission the UAC must ACK again (RFC 3261 §13.2.2.4). */
  onLate2xx?: (res: SipResponse) => void;
}

/** A request on its way: its client transaction and where it went, for a CANCEL (RFC 3261 §9.1). */
export interface SentRequest {
  readonly request: SipRequest;
  readonly destination: Destination;
  readonly branch: string;
  readonly transaction: ClientTransaction;
  /** The final response, or a SipError (408 timeout, 503 transport, §8.1.3.1). */
  readonly response: Promise<SipResponse>;
}
