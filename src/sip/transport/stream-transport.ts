import { createServer as createTcpServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { SipLogger } from '../sip-logger';
import type { InboundHandler } from './inbound-handler';
import { hostPort } from '../message/host';
import type { SipStreamFramer } from '../message/stream-framer';
import { StreamConnection } from './stream-connection';

/** Certificate and key (PEM) for SIP over TLS (RFC 3261 §26.2.1). */
export interface TlsCredentials {
  readonly cert: Buffer;
  readonly key: Buffer;
  /** Certificates (PEM) trusted for peers, besides the system's; e.g. a lab's own CA. */
  readonly ca?: Buffer;
  /** Verify the far end's certificate when connecting out (default true). */
  readonly rejectUnauthorized?: boolean;
}

export interface StreamTransportOptions {
  readonly host: string;
  readonly port: number;
  readonly idleTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly newFramer: () => SipStreamFramer;
  readonly log: SipLogger;
  readonly tls?: TlsCredentials;
}

/**
 * SIP over TCP or TLS (RFC 3261 §18.3): a listening server plus a map of open connections by peer
 * `host:port`, used in both directions. A message to a peer reuses its open connection, whoever
 * opened it; a new one is opened only when none is open.
 */
export class StreamTransport {
  private readonly server: Server;
  private readonly connections = new Map<string, StreamConnection>();
  private readonly pending = new Map<string, Promise<StreamConnection>>();
  private boundAddress = '';
  private boundPort = 0;

  constructor(
    readonly protocol: 'tcp' | 'tls',
    private readonly opts: StreamTransportOptions,
    private readonly onMessage: InboundHandler,
  ) {
    const accept = (socket: Socket): void => {
      this.adopt(socket);
    };
    this.server = opts.tls
      ? createTlsServer({ cert: opts.tls.cert, key: opts.tls.key }, accept)
      : createTcpServer(accept);
    this.server.on('error', (err) =>
      opts.log.warn({ err: err.message, transport: protocol }, 'sip stream server error'),
    );
    if (opts.tls)
      this.server.on('tlsClientError', (err: Error) =>
        opts.log.debug({ err: err.message }, 'sip tls handshake failed'),
      );
  }

  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port, this.opts.host, () => {
        this.server.off('error', reject);
        const a = this.server.address();
        if (a && typeof a === 'object') {
          this.boundAddress = a.address;
          this.boundPort = a.port;
        }
        resolve(this.boundPort);
      });
    });
  }

  get localAddress(): string {
    return this.boundAddress;
  }

  get localPort(): number {
    return this.boundPort;
  }

  /** The open connection to a peer, if any. */
  connectionTo(host: string, port: number): StreamConnection | undefined {
    const c = this.connections.get(hostPort(host, port));
    return c?.isOpen ? c : undefined;
  }

  /** Sends to a peer over its open connection, or opens one (§18.1.1, §18.2.2). */
  send(data: Buffer, host: string, port: number, onError?: (err: Error) => void): void {
    const open = this.connectionTo(host, port);
    if (open) {
      open.write(data);
      return;
    }
    this.connect(host, port).then(
      (c) => {
        if (!c.write(data)) onError?.(new Error('connection closed'));
      },
      (err: Error) => {
        this.opts.log.debug(
          { to: hostPort(host, port), err: err.message, transport: this.protocol },
          'sip connect failed',
        );
        onError?.(err);
      },
    );
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  close(): Promise<void> {
    for (const c of this.connections.values()) c.close();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private connect(host: string, port: number): Promise<StreamConnection> {
    const key = hostPort(host, port);
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const p = new Promise<StreamConnection>((resolve, reject) => {
      const { tls } = this.opts;
      const socket: Socket | TLSSocket = tls
        ? tlsConnect({ host, port, ca: tls.ca, rejectUnauthorized: tls.rejectUnauthorized ?? true })
        : tcpConnect({ host, port });
      const timer = setTimeout(() => socket.destroy(new Error('connect timeout')), this.opts.connectTimeoutMs);
      socket.once(tls ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        resolve(this.adopt(socket));
      });
      const onError = (err: Error): void => {
        clearTimeout(timer);
        reject(err);
      };
      socket.once('error', onError);
    });
    this.pending.set(key, p);
    const clear = (): void => {
      this.pending.delete(key);
    };
    p.then(clear, clear);
    return p;
  }

  private adopt(socket: Socket): StreamConnection {
    const c = new StreamConnection(
      this.protocol,
      socket,
      this.opts.newFramer(),
      this.opts.log,
      this.onMessage,
      (closed) => {
        if (this.connections.get(closed.key) === closed) this.connections.delete(closed.key);
      },
      this.opts.idleTimeoutMs,
    );
    this.connections.set(c.key, c);
    return c;
  }
}
