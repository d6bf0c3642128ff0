import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { freePort } from './free-port';

// confgate as its own process (`src/main.ts`, run from source as `npm start` runs the build), for
// the tests of what only a process does: configuration errors, signals, the drain.
const root = join(__dirname, '..', '..');
/** The admin bearer token every product started here is given. */
export const ADMIN = 'admin-token-for-process-tests-0123';

/** Spawns `src/main.ts` with only PATH and `env` in its environment, stdout and stderr piped. */
export function spawnProduct(env: Record<string, string>): ChildProcess {
  return spawn(
    process.execPath,
    ['-r', join(root, 'scripts', 'asn1', 'swc-register.js'), join(root, 'src', 'main.ts')],
    {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

/** A running product process: its output so far, HTTP base URL, exit code once it exits, SIP port. */
export interface Product {
  child: ChildProcess;
  output: () => string;
  base: string;
  exited: Promise<number | null>;
  sipPort: number;
}

/** Starts `src/main.ts` as its own process, as `npm start` does after building, on loopback. */
export async function startProduct(env: Record<string, string>): Promise<Product> {
  const port = await freePort();
  const sipPort = await freePort();
  const child = spawnProduct({
    CONFGATE_HTTP_HOST: '127.0.0.1',
    CONFGATE_HTTP_PORT: String(port),
    CONFGATE_SIP_HOST: '127.0.0.1',
    CONFGATE_SIP_PORT: String(sipPort),
    CONFGATE_ADMIN_TOKEN: ADMIN,
    CONFGATE_LOG_LEVEL: 'info',
    ...env,
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`confgate did not answer /healthz in 20 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, output: () => out, base, exited, sipPort };
}

/** SIGTERM (the drain ends at once without calls), then the exit code. */
export async function stopProduct(p: Product): Promise<number | null> {
  p.child.kill('SIGTERM');
  return p.exited;
}

/** Sends one OPTIONS from a loopback UDP socket and resolves with the first response's text. */
export function sipOptions(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error('no answer to OPTIONS in 5 s'));
    }, 5000);
    socket.on('message', (m) => {
      clearTimeout(timer);
      socket.close();
      resolve(m.toString('latin1'));
    });
    socket.bind(0, '127.0.0.1', () => {
      const local = socket.address().port;
      const request = [
        `OPTIONS sip:127.0.0.1:${port} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK-main-process-1;rport`,
        'Max-Forwards: 70',
        `From: <sip:probe@127.0.0.1>;tag=probe1`,
        `To: <sip:127.0.0.1:${port}>`,
        'Call-ID: main-process-options@127.0.0.1',
        'CSeq: 1 OPTIONS',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      socket.send(request, port, '127.0.0.1');
    });
  });
}
