import type { FastifyInstance } from 'fastify';
import type { SipCounters } from '../sip';
import type { Config } from '../config/config-schema';
import type { CallEventSink } from '../call-log/call-events';
import type { Live } from '../live/live';
import type { Logger } from '../log/logger';
import { startDialIn } from './dial-in';
import { Drain } from './drain';
import type { Store } from '../store/store';
import { createConfirmationMailing } from './confirmation-mailing';
import { buildHttp } from './http';
import { createLive } from './live';
import { obeyAdminCommands } from './obey-admin-commands';
import { openStore } from './store';

/** A started confgate: what it listens on, and how to stop it cleanly. */
export interface RunningConfgate {
  app: FastifyInstance;
  store: Store;
  /**
   * Starts the drain (`drain.ts`): new calls and OPTIONS get 503, `/healthz` says `draining`;
   * resolves once the live calls have ended, by themselves or hung up after `shutdown.drainSeconds`.
   */
  drain(): Promise<void>;
  /** Ends the drain at once: the calls still up are hung up now. */
  endDrain(): void;
  /** Stops accepting requests, lets the mail pass in progress finish, closes the store. */
  stop(): Promise<void>;
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
    inviteLimited: (trusted, _source, limit) => live?.metrics.countSipInviteLimited(trusted, limit),
  };
  const drain = new Drain({
    drainSeconds: config.shutdown.drainSeconds,
    retryAfterSeconds: config.routing.retryAfterSeconds,
    log,
    onStart: () => live?.metrics.setDraining(true),
  });
  const dialIn = await startDialIn({
    config,
    store,
    redis,
    log,
    events,
    sipCounters,
    h323Counters: {
      call: () => live?.metrics.countH323Call(),
      fault: (kind) => live?.metrics.countH323Fault(kind),
      connectionRefused: () => live?.metrics.countH323Fault('per-source'),
    },
    onMcuInvite: (ms) => live?.metrics.observeMcuSetup(ms),
    refuseNewCalls: () => drain.refusal(),
  });
  const mailing = createConfirmationMailing(config, redis, log);
  // Without Redis the participants live in the dial-in's admission object, so the live view must read that one.
  live = createLive({ config, store, redis, log, admission: dialIn.admission, records: dialIn.records });
  const stopObeying = await obeyAdminCommands(live.commands, dialIn);
  const app = await buildHttp({
    config,
    store,
    notifier: mailing.notifier,
    log,
    live,
    draining: () => drain.draining,
    storeHealth: dialIn.storeHealth,
  });
  await app.listen({ host: config.http.host, port: config.http.port });
  // The MCU board subscribed while the app was built: now it can hear the health pinged so far.
  dialIn.reportMcuHealth();
  mailing.worker.start();
  log.info({ http: config.http.port, sip: config.sip.port, transports: config.sip.transports }, 'confgate listening');
  return {
    app,
    store,
    drain: () => drain.run(dialIn.legs, dialIn.ivrCallers),
    endDrain: () => drain.cut(),
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
