import type { FastifyInstance } from 'fastify';
import type { BookingNotifier } from '../booking/booking-notifier';
import { BookingService } from '../booking/booking-service';
import type { Config } from '../config/config-schema';
import { buildApp, type AppDeps } from '../http/app';
import { AdminActions } from '../live/admin-actions';
import type { Live } from '../live/live';
import type { Logger } from '../log/logger';
import type { Store } from '../store/store';

export interface HttpDeps {
  config: Config;
  store: Store;
  /** Where booking changes are announced (the confirmation mail). */
  notifier: BookingNotifier;
  log: Logger;
  /** The clock of the booking rules and the live view (tests move it). */
  now?: () => Date;
  /** The live services; absent: no live view, admin actions, `/metrics` or `/admin`. */
  live?: Live;
  /** True while the instance drains (`/healthz` says so). */
  draining?: () => boolean;
  /** The dial-in's view of the store, for `/healthz`. */
  storeHealth?: AppDeps['storeHealth'];
}

/** Builds the booking service and, with the live services, the admin actions, then the HTTP app on them. */
export function buildHttp(deps: HttpDeps): Promise<FastifyInstance> {
  const { config, store, log, live } = deps;
  const now = deps.now ?? (() => new Date());
  const bookings = new BookingService({
    store,
    notifier: deps.notifier,
    log,
    settings: {
      earlyJoinMinutes: config.booking.earlyJoinMinutes,
      graceMinutes: config.booking.graceMinutes,
      maxMonthsAhead: config.booking.maxMonthsAhead,
      defaultLanguage: config.language,
    },
    now,
  });
  const admin = live && {
    live,
    actions: new AdminActions({
      state: live.state,
      admission: live.admission,
      commands: live.commands,
      audit: live.audit,
      publish: (event) => live.publish(event),
      bookings,
      log,
      instanceId: `http-${process.pid}`,
      now: () => now().getTime(),
    }),
  };
  return buildApp({
    config,
    store,
    bookings,
    log,
    now,
    live: admin,
    draining: deps.draining,
    storeHealth: deps.storeHealth,
  });
}
