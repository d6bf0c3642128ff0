import type { SipResponse } from '../message/sip-message';
import type { Destination } from '../message/flow';
import type { TransportLayer } from '../transport/transport-layer';

/** The last ACK sent for a 2xx to one of our INVITEs. */
interface SentAck {
  readonly cseq: number;
  readonly data: Buffer;
  readonly destination: Destination;
}

/**
 * The ACK a UAC sent for a 2xx to its INVITE, kept so a retransmitted 2xx gets the same ACK again
 * (RFC 3261 §13.2.2.4). A small object apart from the dialog on purpose: the INVITE client
 * transaction lingers 64*T1 in Accepted (RFC 6026 §8.4) and must reach the ACK, but must not keep
 * the dialog, and through its listeners the whole call, alive for 32 s after the call ended.
 */
export class AckMemory {
  private last: SentAck | undefined;

  constructor(private readonly transport: Pick<TransportLayer, 'send'>) {}

  remember(cseq: number, data: Buffer, destination: Destination): void {
    this.last = { cseq, data, destination };
  }

  /** Sends the remembered ACK again if it acknowledged the INVITE with this CSeq. */
  resend(cseq: number): void {
    if (this.last?.cseq === cseq) this.transport.send(this.last.data, this.last.destination);
  }

  /** The hook a client INVITE transaction calls with a 2xx after the first (a property: it closes over this object only). */
  readonly onLate2xx = (res: SipResponse): void => this.resend(res.cseq.seq);
}
