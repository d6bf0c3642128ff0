import { randomUUID } from 'node:crypto';
import type { AttemptAlert } from '../../src/admission/admission-engine';
import { admissionSettings, type AdmissionSettings } from '../../src/admission/admission-settings';
import { ConferenceAdmission, type AdmissionCaller } from '../../src/admission/conference-admission';
import { InProcessAdmissionEngine } from '../../src/admission/in-process-admission-engine';
import { RedisAdmissionEngine } from '../../src/admission/redis-admission-engine';
import type { Booking } from '../../src/booking/booking';
import { configSchema, type Config } from '../../src/config/config-schema';
import type { AdmissionAnswer } from '../../src/admission/admission-port';
import { createLogger } from '../../src/log/logger';
import { createMemoryStore } from '../../src/store/memory-store';
import { listedNumberSpace } from '../../src/store/number-space';
import type { Redis } from 'ioredis';
import { connectRedis } from '../../src/store/redis-connection';
import { createRedisStore } from '../../src/store/redis-store';
import type { Store } from '../../src/store/store';
import { startRedisServer, type RedisServer } from '../support/redis-server';

export const NUMBER = '5387';
export const CODE = '8688';
const MIN = 60_000;
/** 10:00 in Paris on 1 December 2026. */
export const T0 = Date.parse('2026-12-01T09:00:00Z');

/**
 * Two controller instances ("A" and "B") admitting callers to one store, on a clock the test
 * moves. On Redis each instance has its own connection, as two processes would; in process they
 * share the engine, as one process's callers do.
 */
export interface AdmissionWorld {
  kind: 'in-process' | 'redis';
  store: Store;
  settings: AdmissionSettings;
  clock: { now: number };
  a: ConferenceAdmission;
  b: ConferenceAdmission;
  alerts: AttemptAlert[];
  lost: string[];
  /** Redis only: the instances' connections. */
  clients: Redis[];
}

export type WorldKind = AdmissionWorld['kind'];

/** Starts one redis-server for the file; `connect()` opens clients closed by `stop()`. */
export class RedisFixture {
  private server: RedisServer | undefined;
  private readonly opened: Redis[] = [];

  async start(): Promise<void> {
    this.server = await startRedisServer();
  }

  /** A standalone connection (the URL is `redis://`). */
  connect(): Redis {
    const c = connectRedis(this.server!.url) as Redis;
    this.opened.push(c);
    return c;
  }

  get url(): string {
    return this.server!.url;
  }

  /** The server itself, to freeze, thaw or restart it. */
  get process(): RedisServer {
    return this.server!;
  }

  async stop(): Promise<void> {
    await Promise.all(this.opened.map((c) => c.quit().catch(() => undefined)));
    await this.server?.stop();
  }
}

export async function makeWorld(
  kind: WorldKind,
  redis: RedisFixture | undefined,
  admission: Partial<Config['admission']> = {},
): Promise<AdmissionWorld> {
  const config = configSchema.parse({ admission });
  const settings = admissionSettings(config);
  const clock = { now: T0 };
  const alerts: AttemptAlert[] = [];
  const lost: string[] = [];
  const log = createLogger('silent');
  const numbers = listedNumberSpace([NUMBER]);
  const instance = (name: string, engine: ConstructorParameters<typeof ConferenceAdmission>[0]['engine']) =>
    new ConferenceAdmission({
      engine,
      settings,
      log,
      instanceId: name,
      now: () => clock.now,
      onAlert: (a) => alerts.push(a),
      onLeaseLost: (id) => lost.push(id),
    });
  if (kind === 'redis') {
    const clients = [redis!.connect(), redis!.connect()];
    await clients[0]!.flushall();
    const store = createRedisStore(clients[0]!, numbers);
    const engines = clients.map((c) => new RedisAdmissionEngine(c, settings));
    return {
      kind,
      store,
      settings,
      clock,
      a: instance('A', engines[0]!),
      b: instance('B', engines[1]!),
      alerts,
      lost,
      clients,
    };
  }
  const store = createMemoryStore(numbers);
  const engine = new InProcessAdmissionEngine(store.bookings, settings);
  return {
    kind,
    store,
    settings,
    clock,
    a: instance('A', engine),
    b: instance('B', engine),
    alerts,
    lost,
    clients: [],
  };
}

/** Books conference `NUMBER` (code `CODE`) starting at `startsAt`, stored with the window the booking service would give it. */
export async function book(
  w: AdmissionWorld,
  over: Partial<Booking> & { startsAtMs?: number; minutes?: number } = {},
): Promise<Booking> {
  const { startsAtMs = T0, minutes = 60, ...rest } = over;
  const booking: Omit<Booking, 'number'> = {
    id: randomUUID(),
    organizerId: 'org',
    title: 'Réunion',
    accessCode: Number(CODE),
    start: '2026-12-01T10:00',
    timeZone: 'Europe/Paris',
    duration: '01:00',
    startsAt: new Date(startsAtMs).toISOString(),
    endsAt: new Date(startsAtMs + minutes * MIN).toISOString(),
    type: 'video',
    estimatedConnections: 5,
    comment: '',
    recipients: [],
    calendarInvite: false,
    language: 'fr',
    status: 'active',
    sequence: 0,
    createdAt: new Date(T0 - 86_400_000).toISOString(),
    updatedAt: new Date(T0 - 86_400_000).toISOString(),
    ...rest,
  };
  const window = { start: startsAtMs - w.settings.earlyJoinMs, end: startsAtMs + minutes * MIN + w.settings.graceMs };
  return w.store.bookings.create(booking, window);
}

let calls = 0;

/** A caller from loopback address `address` (127.0.0.0/8), with a fresh Call-ID. */
export function caller(address: string, callingNumber?: string): AdmissionCaller {
  calls += 1;
  return { address, callId: `call-${calls}@${address}`, ...(callingNumber === undefined ? {} : { callingNumber }) };
}

export function admitFrom(
  instance: ConferenceAdmission,
  source: AdmissionCaller,
  code = CODE,
  number = NUMBER,
): Promise<AdmissionAnswer> {
  return instance.admit({ number, code, source, via: 'ivr' });
}

export function participantIdOf(v: AdmissionAnswer): string {
  if (v.kind !== 'admitted') throw new Error(`expected admitted, got ${v.kind}`);
  return v.participant.participantId;
}
