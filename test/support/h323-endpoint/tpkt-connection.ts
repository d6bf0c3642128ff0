/**
 * A TCP connection carrying TPKT frames (RFC 1006 §6, H.225.0 §7.1.1): call signalling, or H.245 on
 * its own connection (H.245 over TCP is framed the same way, H.323 §7.3.1). Payloads are handed on
 * as whole frames; a stream that is not TPKT ends the connection and is reported.
 */
import { connect, type Socket } from 'node:net';
import { frameTpkt, TpktReassembler } from '../../../src/h323/tpkt';

export class TpktConnection {
  /** why the connection ended, once it has; `closed` when the peer or we closed it cleanly */
  ended?: string;
  readonly done: Promise<void>;
  private readonly reassembler = new TpktReassembler();

  constructor(
    private readonly socket: Socket,
    onFrame: (frame: Uint8Array, payload: Uint8Array) => void,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (segment) => {
      let payloads: Uint8Array[];
      try {
        payloads = this.reassembler.push(segment);
      } catch (e) {
        this.ended = `not TPKT: ${(e as Error).message}`;
        socket.destroy();
        return;
      }
      for (const payload of payloads) if (payload.length > 0) onFrame(frameTpkt(payload), payload);
    });
    this.done = new Promise((resolve) =>
      socket.on('close', () => {
        this.ended ??= 'closed';
        resolve();
      }),
    );
    socket.on('error', (e) => {
      this.ended ??= `error: ${e.message}`;
    });
  }

  /** Connects to `host:port`; rejects when the connection is refused or not made within `timeoutMs`. */
  static open(
    host: string,
    port: number,
    onFrame: (frame: Uint8Array, payload: Uint8Array) => void,
    timeoutMs = 5000,
  ): Promise<TpktConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`no TCP connection to ${host}:${port} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(new TpktConnection(socket, onFrame));
      });
    });
  }

  /** The local TCP port (the Setup's sourceCallSignalAddress). */
  get localPort(): number {
    return this.socket.localPort ?? 0;
  }

  get isOpen(): boolean {
    return this.ended === undefined && !this.socket.destroyed;
  }

  /** Sends one complete TPKT frame. */
  send(frame: Uint8Array): void {
    if (this.isOpen) this.socket.write(frame);
  }

  /** Half-closes and waits up to `timeoutMs` for the peer to close, then destroys. */
  async close(timeoutMs = 2000): Promise<void> {
    this.socket.end();
    const timer = setTimeout(() => this.socket.destroy(), timeoutMs);
    await this.done;
    clearTimeout(timer);
  }
}
