import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load-config';
import { createLogger } from '../../src/log/logger';
import { start, type RunningConfgate } from '../../src/app/start';

export const ADMIN_TOKEN = 'admin-token-for-web-tests-0123456789';
export const PUBLIC_HOST = 'visio.example.org';

const root = join(__dirname, '..', '..');

/**
 * Builds the pages (`scripts/build-web.sh --if-stale`) under a lock, so the jest workers of one run
 * build once and none of them loads a build another one is replacing.
 */
export function buildWebPages(): void {
  mkdirSync(join(root, '.cache'), { recursive: true });
  execFileSync(
    'flock',
    [join(root, '.cache', 'web-build.lock'), 'sh', join(root, 'scripts', 'build-web.sh'), '--if-stale'],
    { cwd: root, stdio: 'inherit' },
  );
}

/** A real confgate (the product's `start`) on free loopback ports. */
export interface WebConfgate {
  baseUrl: string;
  running: RunningConfgate;
  /** Issues an organiser token through the API, as an admin does. */
  organizerToken(name: string): Promise<string>;
  /** Calls the API as `token`, returning status and parsed JSON (or text). */
  api(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export async function startConfgate(settings: { redisUrl?: string; smtpPort?: number } = {}): Promise<WebConfgate> {
  const config = parseConfig({
    http: { host: '127.0.0.1', port: 0 },
    // The pages need no SIP, but start() opens it: on a free loopback port, never the default 0.0.0.0:5060
    // that another test (or another run on this machine) may hold.
    sip: { host: '127.0.0.1', port: 0, transports: ['udp'] },
    adminToken: ADMIN_TOKEN,
    publicHost: PUBLIC_HOST,
    language: 'en',
    ...(settings.redisUrl ? { redisUrl: settings.redisUrl } : {}),
    ...(settings.smtpPort ? { smtp: { host: '127.0.0.1', port: settings.smtpPort, retryBaseSeconds: 0.2 } } : {}),
    log: { level: 'silent' },
  });
  const running = await start(config, createLogger('silent'));
  const address = running.app.server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const api: WebConfgate['api'] = async (method, path, token, body) => {
    const r = await fetch(baseUrl + path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await r.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // text/html and other non-JSON answers stay text
    }
    return { status: r.status, body: parsed };
  };
  return {
    baseUrl,
    running,
    api,
    async organizerToken(name) {
      const r = await api('POST', '/api/organizers', ADMIN_TOKEN, { name, email: `${name.toLowerCase()}@example.org` });
      if (r.status !== 201) throw new Error(`organizer: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.token as string;
    },
    stop: () => running.stop(),
  };
}
