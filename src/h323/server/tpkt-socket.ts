import type { Socket } from 'node:net';
import { TpktReassembler } from '../tpkt';
import { WireError } from '../wire-error';
import type { StartTimer } from '../h245/h245-timer';

/** Why a framed connection was dropped: not TPKT (or not Q.931 above it), a frame too long, too slow. */
export type TpktSocketFault = 'tpkt' | 'q931' | 'too-long' | 'timeout';

/** What a framed socket tells its owner. */
export interface TpktSocketHandlers {
  /** One complete TPKT payload (empty for a keep-alive, H.225.0 §7.1.1). */
  payload(payload: Uint8Array): void;
  /** The stream broke (not TPKT, too long, a frame left half-sent); the socket is being closed. */
  fault(kind: TpktSocketFault, detail: string): void;
  /** The socket closed, whoever closed it. */
  closed(): void;
}

/**
 * A TCP connection carrying TPKT frames (RFC 1006 §6): H.225.0 call signalling or a separate
 * H.245 channel. A frame over `maxFrameBytes` is refused from its header, before its body is
 * read; a frame begun and not finished within `partialFrameTimeoutMs` (a slow or stalled sender)
 * closes the connection.
 */
export class TpktSocket {
  private readonly reassembler: TpktReassembler;
  private stopPartialTimer: (() => void) | undefined;
  private isClosed = false;

  constructor(
    readonly socket: Socket,
    private readonly handlers: TpktSocketHandlers,
    private readonly limits: { maxFrameBytes: number; partialFrameTimeoutMs: number; timer: StartTimer },
  ) {
    this.reassembler = new TpktReassembler(limits.maxFrameBytes);
    socket.setNoDelay(true);
    socket.on('data', (data: Buffer) => this.receive(data));
    // A reset or a write after the peer left ends the call like a close; the error itself says nothing more.
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.isClosed = true;
      this.stopPartialTimer?.();
      handlers.closed();
    });
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** The peer's address, as seen on the socket. */
  get remoteAddress(): string {
    return (this.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  }

  /** Sends one frame, TPKT header included. */
  sendFrame(frame: Uint8Array): void {
    if (this.isClosed) return;
    this.socket.write(frame);
  }

  /** Sends what is queued, then closes. */
  close(): void {
    if (this.isClosed) return;
    this.socket.end();
    // A peer that never closes its side must not hold the socket.
    this.limits.timer(2_000, () => this.socket.destroy());
  }

  private receive(data: Buffer): void {
    if (this.isClosed) return;
    let payloads: Uint8Array[];
    try {
      payloads = this.reassembler.push(data);
    } catch (error) {
      const detail = error instanceof WireError ? error.detail : String(error);
      this.abort(/is over the \d+ octets accepted$/.test(detail) ? 'too-long' : 'tpkt', detail);
      return;
    }
    this.watchPartialFrame(payloads.length > 0);
    for (const payload of payloads) {
      if (this.isClosed) return;
      this.handlers.payload(payload);
    }
  }

  /** Times the frame in progress: from its first octets, restarted when a frame completed meanwhile. */
  private watchPartialFrame(progressed: boolean): void {
    if (this.reassembler.buffered === 0 || progressed) {
      this.stopPartialTimer?.();
      this.stopPartialTimer = undefined;
    }
    if (this.reassembler.buffered > 0 && !this.stopPartialTimer) {
      this.stopPartialTimer = this.limits.timer(this.limits.partialFrameTimeoutMs, () =>
        this.abort('timeout', `a frame was left unfinished for ${this.limits.partialFrameTimeoutMs} ms`),
      );
    }
  }

  /** Reports the fault once and drops the connection at once (nothing more is read or sent). */
  abort(kind: TpktSocketFault, detail: string): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.stopPartialTimer?.();
    this.handlers.fault(kind, detail);
    this.socket.destroy();
  }
}
