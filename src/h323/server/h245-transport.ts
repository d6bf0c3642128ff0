import type { Socket } from 'node:net';
import { decodeH245Message, encodeH245Message } from '../asn1-codec';
import type { MultimediaSystemControlMessage } from '../generated/h245-types';
import type { StartTimer } from '../h245/h245-timer';
import { PerError } from '../per/per-error';
import { frameTpkt } from '../tpkt';
import type { H323FaultKind } from './h323-server-options';
import { TpktSocket } from './tpkt-socket';

/** What the H.245 transport of one call needs from the call. */
export interface H245TransportContext {
  /** H.245 rides in H.225.0 messages (H.323 §8.2.1) until a separate connection is attached. */
  tunnelling: boolean;
  /** Sends tunnelled messages in a Facility of their own; false while the call may not send one yet (they wait). */
  sendInFacility(messages: MultimediaSystemControlMessage[]): boolean;
  received(message: MultimediaSystemControlMessage): void;
  fault(kind: H323FaultKind, detail: string): void;
  limits: { maxFrameBytes: number; partialFrameTimeoutMs: number; timer: StartTimer };
}

/**
 * Carries one call's H.245 messages, tunnelled or on a separate connection (H.323 §8.2.1,
 * §8.2.2). Tunnelled, messages wait to ride in the next H.225.0 message the call sends
 * ({@link takeTunnelled}); what no message took by the end of the current turn of the event loop
 * goes in a Facility of its own, as H323Plus does. Without tunnelling they wait for the separate
 * connection. A malformed H.245 message is reported and dropped; it does not end the call.
 */
export class H245Transport {
  private queued: MultimediaSystemControlMessage[] = [];
  private flushScheduled = false;
  private separate: TpktSocket | undefined;

  constructor(private readonly c: H245TransportContext) {}

  /** Whether a separate H.245 connection carries the messages. */
  get separateConnection(): boolean {
    return this.separate !== undefined && !this.separate.closed;
  }

  send(message: MultimediaSystemControlMessage): void {
    if (this.separateConnection) return this.separate!.sendFrame(frameTpkt(encodeH245Message(message)));
    this.queued.push(message);
    if (this.c.tunnelling && !this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  /** The tunnelled messages waiting, for the H.225.0 message the call is about to send. */
  takeTunnelled(): MultimediaSystemControlMessage[] {
    if (!this.c.tunnelling || this.separateConnection) return [];
    return this.queued.splice(0);
  }

  /** Sends what waits for a Facility, now that the call may send one. */
  flush(): void {
    this.flushScheduled = false;
    if (!this.c.tunnelling || this.queued.length === 0) return;
    const messages = this.queued;
    if (this.c.sendInFacility(messages)) this.queued = [];
  }

  /** The separate H.245 connection is up (either side opened it): everything goes on it from now on. */
  attach(socket: Socket): void {
    if (this.separate) {
      socket.destroy();
      return;
    }
    this.separate = new TpktSocket(
      socket,
      {
        payload: (payload) => this.receiveOnConnection(payload),
        fault: (kind, detail) => this.c.fault(kind, `H.245 connection: ${detail}`),
        closed: () => undefined,
      },
      this.c.limits,
    );
    const waiting = this.queued.splice(0);
    for (const message of waiting) this.separate.sendFrame(frameTpkt(encodeH245Message(message)));
  }

  close(): void {
    this.separate?.close();
  }

  private receiveOnConnection(payload: Uint8Array): void {
    if (payload.length === 0) return;
    let message: MultimediaSystemControlMessage;
    try {
      message = decodeH245Message(payload);
    } catch (error) {
      if (!(error instanceof PerError)) throw error;
      return this.c.fault('per', `H.245 message: ${error.message}`);
    }
    this.c.received(message);
  }
}
