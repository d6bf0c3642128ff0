import { createServer } from 'node:net';

/**
 * Asks the kernel for a free TCP port on loopback (bind port 0, read it back, close).
 * The port may in theory be taken again before the caller binds it; tests that can bind
 * port 0 themselves should do that instead.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close((err) => (err ? reject(err) : resolve(port)));
    });
  });
}

/** The kernel hands out ports from 32768 up (`ip_local_port_range`) to every bind(0) and outgoing connection. */
const BELOW_EPHEMERAL = { low: 20_000, high: 30_000 };

/**
 * A free TCP port on loopback below the kernel's ephemeral range, for a server a test stops and starts
 * again on the same port: while it is down, no other test's bind(0) or outgoing connection can take
 * its port (a restarted Redis found another test's server there).
 */
export async function freePortBelowEphemeral(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = BELOW_EPHEMERAL.low + Math.floor(Math.random() * (BELOW_EPHEMERAL.high - BELOW_EPHEMERAL.low));
    if (await canBind(port, host)) return port;
  }
  throw new Error(`no free port between ${BELOW_EPHEMERAL.low} and ${BELOW_EPHEMERAL.high} after 50 tries`);
}

function canBind(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}
