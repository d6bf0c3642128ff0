import type { FastifyInstance } from 'fastify';
import type { SipCounters } from './sip';
import { createConfirmationMailing } from './app/confirmation-mailing';
import type { Config } from './config/config-schema';
import { ConfigError, loadConfig } from './config/load-config';
import { buildHttp } from './app/http';
import type { CallEventSink } from './live/call-events';
import { createLive, type Live } from './live/create-live';
import { obeyAdminCommands } from './live/dial-in-commands';
import { startDialIn } from './routing/dial-in-service';
import { createLogger, type Logger } from './log/logger';
import { createMemoryStore } from './store/memory-store';
import { digitsNumberSpace } from './store/number-space';
import { connectRedis, type RedisClient } from './store/redis-connection';
import { createRedisStore } from './store/redis-store';
import type { Store } from './store/store';

/** A started confgate: what it listens on, and how to stop it cleanly. */
export interface RunningConfgate {
  app: FastifyInstance;
  store: Store;
  /** Stops accepting requests, lets the mail pass in progress finish, closes the store. */
  stop(): Promise<void>;
}

/** `redis://user:secret@host` → `redis://***@host`, for logs. */
function withoutCredentials(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

function openStore(config: Config, log: Logger): { store: Store; redis: RedisClient | undefined } {
  const numbers = digitsNumberSpace(config.booking.numberLength);
  if (!config.redisUrl) {
    log.warn(
      'REDIS_URL is not set: using the IN-PROCESS store. Bookings and queued mail are NOT persisted (lost on restart) ' +
        'and NOT shared with other confgate instances. Set REDIS_URL for production.',
    );
    return { store: createMemoryStore(numbers), redis: undefined };
  }
  const redis = connectRedis(config.redisUrl);
  let healthy = true;
  // ioredis reports every failed reconnect; log the transitions, not each retry.
  redis.on('error', (e: Error) => {
    if (healthy) log.error({ err: e.message }, 'Redis unreachable; retrying');
    healthy = false;
  });
  redis.on('ready', () => {
    if (!healthy) log.info('Redis reachable again');
    healthy = true;
  });
  log.info({ redis: withoutCredentials(config.redisUrl) }, 'using the Redis store');
  return { store: createRedisStore(redis, numbers), redis };
}

/**
 * Starts everything one confgate process runs: the SIP dial-in (listeners, IVR, admission, MCU
 * routing), the HTTP API and pages, the live view and admin actions, and the confirmation mail worker.
 */
export async function start(config: Config, log: Logger): Promise<RunningConfgate> {
  const { store, redis } = openStore(config, log);
  // A cycle: the dial-in publishes to the live view, and the live view (without Redis) reads the
  // dial-in's admission. The dial-in gets a sink that forwards to `live.events` once live exists
  // (set synchronously below, before any SIP message can be read).
  let live: Live | undefined;
  const events: CallEventSink = { publish: (event) => live?.events.publish(event) };
  const sipCounters: SipCounters = {
    request: (method) => live?.metrics.countSipRequest(method),
    response: (method, status) => live?.metrics.countSipResponse(method, status),
  };
  const dialIn = await startDialIn({
    config,
    store,
    redis,
    log,
    events,
    sipCounters,
    onMcuInvite: (ms) => live?.metrics.observeMcuSetup(ms),
  });
  const mailing = createConfirmationMailing(config, redis, log);
  // Without Redis the participants live in the dial-in's admission object, so the live view must read that one.
  live = createLive({ config, store, redis, log, admission: dialIn.admission, records: dialIn.records });
  const stopObeying = await obeyAdminCommands(live.commands, dialIn);
  const app = await buildHttp({ config, store, notifier: mailing.notifier, log, live });
  await app.listen({ host: config.http.host, port: config.http.port });
  // The MCU board subscribed while the app was built: now it can hear the health pinged so far.
  dialIn.reportMcuHealth();
  mailing.worker.start();
  log.info({ http: config.http.port, sip: config.sip.port, transports: config.sip.transports }, 'confgate listening');
  return {
    app,
    store,
    async stop() {
      await app.close();
      await stopObeying();
      await dialIn.stop();
      await mailing.worker.stop();
      await live.close();
      await store.close();
    },
  };
}

/** Process entry point: validates configuration, starts, and stops cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`confgate: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const log = createLogger(config.log.level);
  log.info({ http: config.http.port, sip: config.sip.port }, 'confgate starting');
  let running: RunningConfgate;
  try {
    running = await start(config, log);
  } catch (e) {
    log.fatal({ err: e }, 'confgate could not start');
    process.exit(1);
  }
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'confgate stopping');
    // A stuck close must not keep a stopped service alive for ever.
    setTimeout(() => {
      log.error('shutdown took more than 10 s; exiting anyway');
      process.exit(1);
    }, 10_000).unref();
    running.stop().then(
      () => {
        log.info('confgate stopped');
        process.exit(0);
      },
      (e: unknown) => {
        log.error({ err: e }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

if (require.main === module) void main();
