import { createServer, connect, type Server, type Socket } from 'node:net';
import type { SocketAddress } from '../h225/incoming-setup';

/**
 * A separate H.245 TCP connection (H.323 §8.2.2), either end: confgate connects to the address
 * the caller offered (Setup or Facility `h245Address`), or listens on a fresh port of its own
 * that it offers in the Connect (or a Facility `startH245`) and takes the first connection there.
 */
export interface H245Listener {
  /** The port confgate listens on for this call's H.245. */
  port: number;
  /** Settles with the caller's connection; the listener then closes. */
  accepted: Promise<Socket>;
  /** Stops listening (the call ended first). */
  close(): void;
}

export function dialH245(to: SocketAddress): Socket {
  return connect({ host: to.address, port: to.port });
}

export async function listenH245(host: string): Promise<H245Listener> {
  const server: Server = createServer({ pauseOnConnect: false });
  let accept: (socket: Socket) => void = () => undefined;
  const accepted = new Promise<Socket>((resolve) => (accept = resolve));
  server.once('connection', (socket) => {
    server.close();
    accept(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: 0 }, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { port, accepted, close: () => server.close() };
}
