import { EventEmitter } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import type { H323Call } from './h323-call';
import { H323_LIMITS, SignallingConnection } from './signalling-connection';
import type { H323ServerOptions } from './h323-server-options';

export interface H323ServerEvents {
  /** A new call, its Setup read: the application calls `proceed()` at once, then answers or releases it. */
  call: [H323Call];
}

/**
 * The H.225.0 call signalling listener (H.323 §7.2, TCP 1720 by default): one
 * {@link SignallingConnection} per TCP connection; a source over its connection cap is closed at once.
 */
export class H323Server extends EventEmitter<H323ServerEvents> {
  private readonly perSource = new Map<string, number>();
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;

  constructor(private readonly o: H323ServerOptions) {
    super();
    this.server = createServer((socket) => this.accept(socket));
  }

  /** Starts listening on `host:port`. */
  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host: this.o.host, port: this.o.port }, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  /** The port listened on (the actual one when `port` was 0). */
  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : this.o.port;
  }

  /** Stops listening and closes every connection (their calls end as released by the caller). */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    const source = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const open = this.perSource.get(source) ?? 0;
    if (open >= (this.o.maxConnectionsPerSource ?? H323_LIMITS.maxConnectionsPerSource)) {
      this.o.counters?.connectionRefused?.();
      this.o.log.info({ source, open }, 'H.323 connection refused: too many from this source');
      socket.destroy();
      return;
    }
    this.perSource.set(source, open + 1);
    this.sockets.add(socket);
    socket.once('close', () => {
      this.sockets.delete(socket);
      const left = (this.perSource.get(source) ?? 1) - 1;
      if (left > 0) this.perSource.set(source, left);
      else this.perSource.delete(source);
    });
    new SignallingConnection(socket, this.o, (call) => this.emit('call', call));
  }
}

/** Creates and starts an H.323 call signalling listener (drachtio-like: `server.on('call', (call) => ...)`). */
export async function createH323Server(options: H323ServerOptions): Promise<H323Server> {
  const server = new H323Server(options);
  await server.listen();
  return server;
}
