import type { Socket } from 'node:net';
import type { SipLogger } from '../sip-logger';
import type { SipStreamFramer } from '../message/stream-framer';
import type { Flow, FlowConnection, TransportProtocol } from '../message/flow';
import type { InboundHandler } from './inbound-handler';
import { hostPort } from '../message/host';

const CRLF = Buffer.from('\r\n');

/**
 * One TCP or TLS connection: frames its byte stream into messages and is itself the `connection`
 * of the flows it delivers, so a response or an in-dialog request goes back over it (§18.2.2).
 */
export class StreamConnection implements FlowConnection {
  readonly key: string;
  readonly flow: Flow;
  private closed = false;

  constructor(
    readonly protocol: TransportProtocol,
    private readonly socket: Socket,
    private readonly framer: SipStreamFramer,
    private readonly log: SipLogger,
    onMessage: InboundHandler,
    onClose: (c: StreamConnection) => void,
    idleTimeoutMs: number,
  ) {
    const remoteAddress = socket.remoteAddress ?? '';
    const remotePort = socket.remotePort ?? 0;
    this.key = hostPort(remoteAddress, remotePort);
    this.flow = {
      protocol,
      remoteAddress,
      remotePort,
      localAddress: socket.localAddress ?? '',
      localPort: socket.localPort ?? 0,
      connection: this,
    };
    socket.setNoDelay(true);
    socket.setTimeout(idleTimeoutMs, () => {
      this.log.debug({ peer: this.key, protocol }, 'sip connection idle, closing');
      socket.destroy();
    });
    socket.on('data', (chunk: Buffer) => {
      const framed = this.framer.push(chunk);
      for (const m of framed.messages) {
        try {
          onMessage(m, this.flow);
        } catch (err) {
          this.log.error({ err, peer: this.key }, 'sip message handler threw');
        }
      }
      // RFC 5626 §4.4.1: a double-CRLF ping gets a single-CRLF pong.
      for (let i = 0; i < framed.keepAlives; i++) this.write(CRLF);
      if (framed.error) {
        // An oversized or unframeable stream cannot be resynchronised: drop the connection, not the process.
        this.log.info({ peer: this.key, protocol, err: framed.error.reason }, 'sip stream unusable, connection closed');
        socket.destroy();
      }
    });
    socket.on('error', (err) => this.log.debug({ peer: this.key, protocol, err: err.message }, 'sip connection error'));
    socket.on('close', () => {
      this.closed = true;
      onClose(this);
    });
  }

  get isOpen(): boolean {
    return !this.closed && !this.socket.destroyed;
  }

  /** Writes one serialized message; returns false when the connection is already gone. */
  write(data: Buffer): boolean {
    if (!this.isOpen) return false;
    this.socket.write(data);
    return true;
  }

  close(): void {
    this.socket.destroy();
  }
}
