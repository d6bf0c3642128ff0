import type { Socket } from 'node:net';
import { readSetup } from '../h225/incoming-setup';
import { releaseComplete } from '../h225/outgoing-messages';
import type { ReleaseCompleteReason } from '../generated/h225-types';
import { Q850, releaseReasonFor } from '../h225/release-reason';
import { H245_TIMERS, nodeTimer } from '../h245/h245-timer';
import { PerError } from '../per/per-error';
import { decodeQ931 } from '../q931-message';
import { decodeSignallingFrame, encodeSignallingFrame, type SignallingFrame } from '../signalling-frame';
import { frameTpkt } from '../tpkt';
import { WireError } from '../wire-error';
import { H323Call } from './h323-call';
import type { H323FaultKind, H323ServerOptions } from './h323-server-options';
import { TpktSocket } from './tpkt-socket';

/** Q.850 cause 81 "invalid call reference value" (Q.931 §5.8.3.2) and 47 "resource unavailable" (a second call). */
const INVALID_CALL_REFERENCE = 81;
const RESOURCE_UNAVAILABLE = 47;

/** The defaults of {@link H323ServerOptions}' limits. */
export const H323_LIMITS = {
  maxFrameBytes: 8192,
  setupTimeoutMs: 10_000,
  partialFrameTimeoutMs: 5_000,
  maxConnectionsPerSource: 20,
};

/**
 * One H.225.0 call signalling connection (H.323 §7.2: one call per connection, confgate never
 * agrees to `multipleCalls`): waits for the Setup (closed when none comes within the setup
 * timeout), makes it an {@link H323Call}, and hands it every later message of that call. A frame
 * that is not Q.931 closes the connection; a Q.931 message whose H.225.0 part is malformed gets a
 * Release Complete (cause 95 "invalid message"); a message for another call reference, cause 81;
 * a second Setup, cause 47 with reason `newConnectionNeeded`. Every such fault is counted.
 */
export class SignallingConnection {
  private readonly framed: TpktSocket;
  private call: H323Call | undefined;
  private readonly stopSetupTimer: () => void;

  constructor(
    socket: Socket,
    private readonly o: H323ServerOptions,
    private readonly onCall: (call: H323Call) => void,
  ) {
    const timer = o.timer ?? nodeTimer;
    const limits = {
      maxFrameBytes: o.maxFrameBytes ?? H323_LIMITS.maxFrameBytes,
      partialFrameTimeoutMs: o.partialFrameTimeoutMs ?? H323_LIMITS.partialFrameTimeoutMs,
      timer,
    };
    this.framed = new TpktSocket(
      socket,
      {
        payload: (payload) => this.receive(payload),
        fault: (kind, detail) => this.fault(kind, detail),
        closed: () => {
          this.stopSetupTimer();
          this.call?.connectionClosed();
        },
      },
      limits,
    );
    this.stopSetupTimer = timer(o.setupTimeoutMs ?? H323_LIMITS.setupTimeoutMs, () => {
      if (!this.call) this.framed.abort('timeout', 'no Setup within the setup timeout');
    });
  }

  private receive(payload: Uint8Array): void {
    if (payload.length === 0) return;
    let callReference: number;
    try {
      callReference = decodeQ931(payload).callReference;
    } catch (error) {
      this.framed.abort('q931', error instanceof Error ? error.message : String(error));
      return;
    }
    let frame: SignallingFrame;
    try {
      frame = decodeSignallingFrame(frameTpkt(payload));
    } catch (error) {
      if (!(error instanceof PerError) && !(error instanceof WireError)) throw error;
      this.fault(error instanceof PerError ? 'per' : 'q931', error.message);
      if (this.call?.callReference === callReference) return this.call.release(Q850.invalidMessage);
      return this.refuse(callReference, Q850.invalidMessage, !this.call);
    }
    if (!this.call) return this.first(frame);
    if (frame.q931.messageType === 'setup' && frame.q931.callReference !== this.call.callReference) {
      this.fault('unexpected', 'a second Setup on the connection (multipleCalls is not supported)');
      return this.refuse(frame.q931.callReference, RESOURCE_UNAVAILABLE, false);
    }
    if (callReference !== this.call.callReference && callReference !== 0) {
      this.fault('unexpected', `call reference ${callReference} is not the call's`);
      return this.refuse(callReference, INVALID_CALL_REFERENCE, false);
    }
    this.call.receive(frame);
  }

  private first(frame: SignallingFrame): void {
    if (frame.q931.messageType !== 'setup') {
      this.fault('unexpected', `${frame.q931.messageType} before any Setup`);
      return this.refuse(frame.q931.callReference, INVALID_CALL_REFERENCE, true);
    }
    let setup;
    try {
      setup = readSetup(frame);
    } catch (error) {
      if (!(error instanceof PerError) && !(error instanceof WireError)) throw error;
      this.fault(error instanceof PerError ? 'per' : 'q931', error.message);
      return this.refuse(frame.q931.callReference, Q850.invalidMessage, true);
    }
    this.stopSetupTimer();
    const socket = this.framed.socket;
    this.call = new H323Call(
      setup,
      { address: this.framed.remoteAddress, port: socket.remotePort ?? 0 },
      {
        send: (f) => this.framed.sendFrame(encodeSignallingFrame(f)),
        close: () => this.framed.close(),
        h245Host: this.o.advertisedHost,
        log: this.o.log,
        fault: (kind) => this.o.counters?.fault?.(kind),
        timer: this.o.timer ?? nodeTimer,
        h245Timers: this.o.h245Timers ?? H245_TIMERS,
        limits: {
          maxFrameBytes: this.o.maxFrameBytes ?? H323_LIMITS.maxFrameBytes,
          partialFrameTimeoutMs: this.o.partialFrameTimeoutMs ?? H323_LIMITS.partialFrameTimeoutMs,
        },
      },
    );
    this.o.counters?.call?.();
    this.onCall(this.call);
    this.call.start();
  }

  /** Release Complete for a call reference confgate will not serve; `thenClose` when the connection has no call left. */
  private refuse(callReference: number, cause: number, thenClose: boolean): void {
    const keys = { callReference, conferenceId: new Uint8Array(16), callIdentifier: undefined };
    this.framed.sendFrame(
      encodeSignallingFrame(releaseComplete(keys, cause, releaseReasonOf(cause), { h245Tunnelling: false })),
    );
    if (!thenClose) return;
    this.stopSetupTimer();
    this.framed.close();
  }

  private fault(kind: H323FaultKind, detail: string): void {
    this.o.counters?.fault?.(kind);
    this.o.log.info({ source: this.framed.remoteAddress, kind, detail }, 'H.323 signalling refused');
  }
}

const releaseReasonOf = (cause: number): ReleaseCompleteReason =>
  cause === RESOURCE_UNAVAILABLE ? { newConnectionNeeded: null } : releaseReasonFor(cause);
