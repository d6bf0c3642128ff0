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
