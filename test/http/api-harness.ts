import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { parseConfig } from '../../src/config/load-config';
import { buildHttp } from '../../src/app/http';
import { createLogger } from '../../src/log/logger';
import type { Store } from '../../src/store/store';
import { RecordingNotifier } from '../booking/recording-notifier';

export const ADMIN = 'admin-token-for-tests-0123456789';

/** An HTTP answer, read in full. */
export interface Answer {
  statusCode: number;
  headers: Headers;
  body: string;
  json(): any;
}

/** Everything a test needs around one app: the app, its notifier, its captured log, a clock it can move. */
export interface Harness {
  app: FastifyInstance;
  /** `http://127.0.0.1:PORT`: the app listens on a free loopback port. */
  baseUrl: string;
  /** Sends a real HTTP request to the app. */
  call(
    method: string,
    path: string,
    token?: string,
    payload?: unknown,
    headers?: Record<string, string>,
  ): Promise<Answer>;
  store: Store;
  notifier: RecordingNotifier;
  logLines: string[];
  clock: { now: Date };
  /** Creates an organiser through the API; returns its id and token. */
  organizer(name?: string): Promise<{ id: string; token: string }>;
  close(): Promise<void>;
}

/** Builds the app on `store`, logging at `debug` into memory so tests can read every line. */
export async function harness(store: Store, options: { now?: Date; bodyLimitBytes?: number } = {}): Promise<Harness> {
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const clock = { now: options.now ?? new Date('2026-12-01T09:00:00.000Z') };
  const config = parseConfig({
    adminToken: ADMIN,
    language: 'en',
    publicHost: 'visio.example.org',
    phoneNumber: '+33 1 23 45 67 89',
    http: { bodyLimitBytes: options.bodyLimitBytes ?? 65536 },
  });
  const notifier = new RecordingNotifier();
  const app = await buildHttp({ config, store, notifier, log: createLogger('debug', sink), now: () => clock.now });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const call = async (
    method: string,
    path: string,
    token?: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> => {
    const h: Record<string, string> = { ...headers };
    if (token) h.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (payload !== undefined) {
      body = typeof payload === 'string' ? payload : JSON.stringify(payload);
      h['content-type'] ??= 'application/json';
    }
    const r = await fetch(baseUrl + path, { method, headers: h, ...(body === undefined ? {} : { body }) });
    const text = await r.text();
    return { statusCode: r.status, headers: r.headers, body: text, json: () => JSON.parse(text) };
  };
  return {
    app,
    baseUrl,
    call,
    store,
    notifier,
    logLines,
    clock,
    async organizer(name = 'Alice') {
      const r = await call('POST', '/api/organizers', ADMIN, { name, email: `${name.toLowerCase()}@example.org` });
      if (r.statusCode !== 201) throw new Error(`organizer: ${r.statusCode} ${r.body}`);
      const body = r.json() as { id: string; token: string };
      return { id: body.id, token: body.token };
    },
    close: () => app.close(),
  };
}

/** A booking body that passes every rule at the harness's default clock (2026-12-01 10:00 Paris). */
export const validBooking = {
  title: 'Réunion équipe',
  start: '2026-12-02T14:00',
  timeZone: 'Europe/Paris',
  duration: '01:30',
  estimatedConnections: 5,
  acceptTerms: true,
};
