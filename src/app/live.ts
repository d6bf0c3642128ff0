import type { ConferenceAdmission } from '../admission/conference-admission';
import { createAdmission } from '../admission/create-admission';
import type { Config } from '../config/config-schema';
import type { CallRecordSink } from '../call-log/call-record';
import type { Logger } from '../log/logger';
import type { RedisClient } from '../store/redis-connection';
import type { Store } from '../store/store';
import { InProcessAdminAudit, RedisAdminAudit, type AdminAudit } from '../live/admin-audit';
import {
  InProcessAdminCommandChannel,
  RedisAdminCommandChannel,
  type AdminCommandChannel,
} from '../live/admin-commands';
import { RedisCallRecordQuery, SinkCallRecordQuery } from '../live/call-record-query';
import { fanOut, InProcessCallEventBus, RedisCallEventBus, type CallEventBus } from '../live/event-bus';
import { LiveCallRecorder } from '../live/live-call-recorder';
import { InProcessLiveCallStore, RedisLiveCallStore, type LiveCallStore } from '../live/live-call-store';
import { LiveMetrics } from '../live/live-metrics';
import type { Live } from '../live/live';
import { LiveState } from '../live/live-state';
import { McuStatusBoard } from '../live/mcu-status-board';

export interface CreateLiveOptions {
  config: Config;
  store: Store;
  /** The store's Redis client when `store.kind` is `redis`. */
  redis?: RedisClient;
  log: Logger;
  /**
   * The dial-in's admission when this process runs one: required without Redis (the in-process
   * participants live in that object), ignored on Redis (the admin uses one of its own; see below).
   */
  admission?: ConferenceAdmission;
  /** The dial-in's call records, read for `/api/calls` without Redis (with Redis the stream is read directly). */
  records?: Pick<CallRecordSink, 'recent'>;
  /** Skip prom-client's process metrics (tests building many instances in one process). */
  defaultMetrics?: boolean;
}

/** Builds the live services on Redis when the store is (shared by every instance), else in this process. */
export function createLive(options: CreateLiveOptions): Live {
  const { config, store, redis } = options;
  const log = options.log.child({ component: 'live' });
  if (store.kind === 'redis' && !redis) throw new Error('a Redis store needs its Redis client for the live state');
  const shared = store.kind === 'redis' ? redis : undefined;
  const bus: CallEventBus = shared
    ? new RedisCallEventBus(shared, config.live.eventStreamMaxLength, log)
    : new InProcessCallEventBus(config.live.eventStreamMaxLength);
  const calls: LiveCallStore = shared ? new RedisLiveCallStore(shared) : new InProcessLiveCallStore();
  const commands: AdminCommandChannel = shared
    ? new RedisAdminCommandChannel(shared, log)
    : new InProcessAdminCommandChannel(log);
  const audit: AdminAudit = shared
    ? new RedisAdminAudit(shared, config.live.auditMaxLength)
    : new InProcessAdminAudit(config.live.auditMaxLength);
  const metrics = new LiveMetrics({ defaultMetrics: options.defaultMetrics ?? true });
  if (shared) metrics.instrumentRedis(shared);
  for (const [i] of config.mcu.entries()) metrics.setMcuUp(`mcu${i + 1}`, true);
  // On Redis the admin gets an admission object of its own, never the dial-in's: a release through it is
  // then seen by the holding instance at its next lease renewal (the participant is no longer held), which
  // hangs the call up even if the kick command never reached it. In process, commands cannot be lost.
  const admission =
    !shared && options.admission ? options.admission : createAdmission({ config, store, redis, log: options.log });
  const mcus = new McuStatusBoard(config.mcu);
  const recorder = new LiveCallRecorder(calls, config.live.ivrLeaseSeconds * 1000, log);
  const state = new LiveState({
    bookings: store.bookings,
    liveParticipants: (id) => admission.liveParticipants(id),
    calls,
    isLocked: (id) => admission.isLocked(id),
    earlyJoinMs: config.booking.earlyJoinMinutes * 60_000,
    graceMs: config.booking.graceMinutes * 60_000,
  });
  return {
    events: fanOut(metrics, recorder, bus),
    async publish(event) {
      metrics.publish(event);
      await recorder.record(event);
      return bus.append(event);
    },
    bus,
    calls,
    recorder,
    state,
    admission,
    commands,
    audit,
    metrics,
    records: shared
      ? new RedisCallRecordQuery(shared)
      : options.records
        ? new SinkCallRecordQuery(options.records)
        : undefined,
    mcus,
    start: () => mcus.start(bus),
    async close() {
      mcus.stop();
      await bus.close();
    },
  };
}
