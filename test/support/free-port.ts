import { createServer } from 'node:net';

/**
 * Asks the kernel for a free TCP port on loopback (bind port 0, read it back, close).
 * The port may in theory be taken again before the caller binds it; tests that can bind
 * port 0 themselves should do that instead.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const port = await bindAndRelease(0, host);
  if (port === undefined) throw new Error(`no free port on ${host}`);
  return port;
}

/** The kernel hands out ports from 32768 up (`ip_local_port_range`) to every bind(0) and outgoing connection. */
const BELOW_EPHEMERAL = { low: 20_000, high: 30_000 };

/**
 * A free TCP port on loopback below the kernel's ephemeral range, for a server a test stops and starts
 * again on the same port: while it is down, no other test's bind(0) or outgoing connection can take
 * its port (the likely cause of a restarted Redis that missed its re-assertion in a CI dry run).
 */
export async function freePortBelowEphemeral(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = BELOW_EPHEMERAL.low + Math.floor(Math.random() * (BELOW_EPHEMERAL.high - BELOW_EPHEMERAL.low));
    if ((await bindAndRelease(port, host)) !== undefined) return port;
  }
  throw new Error(`no free port between ${BELOW_EPHEMERAL.low} and ${BELOW_EPHEMERAL.high} after 50 tries`);
}

/** Binds `port` (0: any) on `host` and closes it again; the port bound, or undefined when it was taken. */
function bindAndRelease(port: number, host: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(undefined));
    server.listen(port, host, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : undefined;
      server.close(() => resolve(bound));
    });
  });
}
