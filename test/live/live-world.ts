import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { CallEvent } from '../../src/call-log/call-events';
import { createLive } from '../../src/app/live';
import type { Live } from '../../src/live/live';
import { parseConfig } from '../../src/config/load-config';
import { buildHttp } from '../../src/app/http';
import { createLogger } from '../../src/log/logger';
import { digitsNumberSpace } from '../../src/store/number-space';
import type { RedisClient } from '../../src/store/redis-connection';
import { createMemoryStore } from '../../src/store/memory-store';
import { createRedisStore } from '../../src/store/redis-store';
import type { Store } from '../../src/store/store';
import { RecordingNotifier } from '../booking/recording-notifier';

export const ADMIN = 'admin-token-for-live-tests-0123456789';
export const METRICS_TOKEN = 'metrics-token-for-live-tests-0123';

/** One confgate HTTP instance with live services, on a Redis client of its own, or in process without one. */
export interface LiveInstance {
  app: FastifyInstance;
  baseUrl: string;
  live: Live;
  store: Store;
  logLines: string[];
  call(
    method: string,
    path: string,
    token?: string,
    payload?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; headers: Headers; text: string; json(): any }>;
  close(): Promise<void>;
}

export async function liveInstance(
  redis: RedisClient | undefined,
  settings: { metricsToken?: string; raw?: Record<string, unknown> } = {},
): Promise<LiveInstance> {
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _e, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const log = createLogger('info', sink);
  const config = parseConfig({
    adminToken: ADMIN,
    language: 'en',
    live: { sseHeartbeatSeconds: 1 },
    mcu: [{ uri: 'sip:{number}@127.0.0.1:5099' }],
    ...(settings.metricsToken ? { metricsToken: settings.metricsToken } : {}),
    ...settings.raw,
  });
  const store = redis ? createRedisStore(redis, digitsNumberSpace(4)) : createMemoryStore(digitsNumberSpace(4));
  const live = createLive({ config, store, redis, log, defaultMetrics: false });
  const app = await buildHttp({ config, store, notifier: new RecordingNotifier(), log, live });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    app,
    baseUrl,
    live,
    store,
    logLines,
    async call(method, path, token, payload, headers = {}) {
      const h: Record<string, string> = { ...headers };
      if (token) h.authorization = `Bearer ${token}`;
      if (payload !== undefined) h['content-type'] = 'application/json';
      const r = await fetch(baseUrl + path, {
        method,
        headers: h,
        ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
      });
      const text = await r.text();
      return { status: r.status, headers: r.headers, text, json: () => JSON.parse(text) };
    },
    async close() {
      await app.close();
      await live.close();
    },
  };
}

/** Books a conference in progress (starting this minute, UTC) through the API; returns its number and id. */
export async function bookNow(
  i: LiveInstance,
  extra: Record<string, unknown> = {},
): Promise<{ id: string; number: string; accessCode: number }> {
  const org = await i.call('POST', '/api/organizers', ADMIN, { name: 'Alice', email: 'alice@example.org' });
  const book = () =>
    i.call('POST', `/api/conferences?organizerId=${org.json().id}`, ADMIN, {
      title: 'Revue de projet',
      start: new Date().toISOString().slice(0, 16),
      timeZone: 'UTC',
      duration: '01:00',
      estimatedConnections: 3,
      accessCode: 8688,
      acceptTerms: true,
      ...extra,
    });
  let r = await book();
  // "This minute" is in the past once the minute rolls over before the request is read: book the new one.
  if (r.status === 400 && r.text.includes('in_the_past')) r = await book();
  if (r.status !== 201) throw new Error(`booking: ${r.status} ${r.text}`);
  return r.json();
}

let calls = 0;
/** A fresh Call-ID and a ringing event for it (a room system on TLS with a User-Agent). */
export function ringing(
  instanceId: string,
  overrides: Partial<Extract<CallEvent, { kind: 'ringing' }>> = {},
): Extract<CallEvent, { kind: 'ringing' }> {
  calls += 1;
  return {
    kind: 'ringing',
    at: Date.now(),
    callId: `call-${calls}-${Date.now()}@127.0.0.1`,
    instanceId,
    source: '127.0.0.2',
    transport: 'tls',
    dialled: 'ivr',
    displayName: 'Salle Turing',
    callingNumber: '1001',
    userAgent: 'Cisco-CP-Room Kit/ce11',
    ...overrides,
  };
}

/** Admits a caller through the real admission and publishes the events the dial-in would. */
export async function admitThrough(
  i: LiveInstance,
  booking: { number: string; accessCode: number },
  event: Extract<CallEvent, { kind: 'ringing' }>,
): Promise<string> {
  await i.live.publish(event);
  await i.live.publish({
    kind: 'digits',
    at: Date.now(),
    callId: event.callId,
    instanceId: event.instanceId,
    stage: 'number',
    dtmf: 'rfc4733',
    number: booking.number,
  });
  const v = await i.live.admission.admit({
    number: booking.number,
    code: String(booking.accessCode),
    via: 'ivr',
    source: { address: event.source, callId: event.callId },
  });
  if (v.kind !== 'admitted') throw new Error(`not admitted: ${v.kind}`);
  const { participantId, bookingId } = v.participant;
  await i.live.publish({
    kind: 'admitted',
    at: Date.now(),
    callId: event.callId,
    instanceId: event.instanceId,
    participantId,
    bookingId,
    number: booking.number,
  });
  await i.live.publish({
    kind: 'connected',
    at: Date.now(),
    callId: event.callId,
    instanceId: event.instanceId,
    participantId,
    bookingId,
    mcu: 'mcu1',
  });
  return participantId;
}
