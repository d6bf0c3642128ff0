import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { createAdmission } from '../admission/create-admission';
import type { ConferenceAdmission } from '../admission/conference-admission';
import type { CallEnd } from '../call/caller-leg';
import { refusalHeaders } from '../call/sip/call-end-headers';
import { IvrCallers } from '../call/ivr-callers';
import type { DialInCallContext } from '../call/dial-in-call';
import { sipDialIn } from '../call/sip/sip-dial-in';
import { CallEventPublisher } from '../call-log/call-event-publisher';
import type { CallEventSink } from '../call-log/call-events';
import { MemoryCallRecordSink, RedisCallRecordSink, type CallRecordSink } from '../call-log/call-record';
import type { Config } from '../config/config-schema';
import { IvrCapacity, ivrCaps } from '../ivr/ivr-capacity';
import { ivrSettings } from '../ivr/ivr-settings';
import { PromptLibrary } from '../ivr/prompt-library';
import type { H323Counters, H323Server } from '../h323';
import type { Logger } from '../log/logger';
import type { MediaEndpointContext } from '../media/call-media';
import { PacingClock } from '../media/rtp/pacing-clock';
import { RtpPortAllocator } from '../media/rtp/rtp-port-allocator';
import { BookingEndSweep } from '../routing/booking-end-sweep';
import { LiveLegs } from '../routing/live-legs';
import { controlPingUri } from '../routing/control-ping-uri';
import { McuHealth } from '../routing/mcu-health';
import { McuPool, poolMcus } from '../routing/mcu-pool';
import { MemoryPlacementStore } from '../routing/memory-placement-store';
import { RedisPlacementStore } from '../routing/redis-placement-store';
import { Srf, type SipCounters } from '../sip';
import type { RedisClient } from '../store/redis-connection';
import { watchRedisHealth } from '../store/redis-health';
import { StoreHealth } from '../store/store-health';
import type { Store } from '../store/store';
import { limitAlertingCounters } from './limit-alerting-counters';
import { startH323Listener } from './h323';
import { srfOptionsFromConfig } from './sip-options';

export interface DialInOptions {
  config: Config;
  store: Store;
  /** The store's Redis client when `store.kind` is `redis` (admission, placement and call records share it). */
  redis?: RedisClient;
  log: Logger;
  /** Names this instance in participant records (default `hostname-pid-random`). */
  instanceId?: string;
  /**
   * Where the dial-in publishes each call's steps, each MCU's health and admission's brute-force
   * alerts (`live.events`; `docs/live.md`). Without it nothing is published.
   */
  events?: CallEventSink;
  /** SIP requests received and responses sent, for metrics. */
  sipCounters?: SipCounters;
  /** H.323 calls and refused frames, for metrics. */
  h323Counters?: H323Counters;
  /** Admission and placement latency of each admitted call (ms; see DialInCallContext.onMcuInvite), for metrics and the benchmark. */
  onMcuInvite?: (ms: number) => void;
  /**
   * While it returns a refusal (the drain, `drain.ts`), new INVITEs get it and OPTIONS get its
   * status, so an upstream dispatcher that pings with OPTIONS takes the instance out.
   */
  refuseNewCalls?: () => CallEnd | undefined;
}

/** A running dial-in: its SIP stack, admission, pool and legs (for the admin and tests), and `stop()`. */
export interface DialIn {
  srf: Srf;
  admission: ConferenceAdmission;
  pool: McuPool;
  legs: LiveLegs;
  /** The answered callers still in the IVR (the drain hangs them up with a Reason too). */
  ivrCallers: IvrCallers;
  records: CallRecordSink;
  /** Whether the store answers (always up for the in-process store); `/healthz` reads it. */
  storeHealth: StoreHealth;
  /** The H.323 listener, when `h323.enabled` and its port could be bound. */
  h323: H323Server | undefined;
  /** Publishes every MCU's current health (an `mcu` event each) once the live view listens; transitions are published anyway. */
  reportMcuHealth(): void;
  /** Ends one participant's call (admin kick); false when it has no call on this instance. */
  kick(participantId: string): boolean;
  /** Hangs up every call of this instance (BYE), stops timers and listeners. */
  stop(): Promise<void>;
}

/**
 * Starts confgate's dial-in: SIP listeners (UDP and TCP on `sip.host:sip.port`), the H.323 listener
 * (`h323.port`, `app/h323.ts`), the IVR media
 * endpoint, admission (lease renewal and reaper), the MCU pool with its health pings, the
 * booking-end sweep and call records; each INVITE becomes a `DialInCall` (`src/call/`).
 */
export async function startDialIn(options: DialInOptions): Promise<DialIn> {
  const { config, store, redis } = options;
  const log = options.log.child({ component: 'dial-in' });
  if (store.kind === 'redis' && !redis) throw new Error('a Redis store needs its Redis client for the dial-in');
  const routing = config.routing;
  const instanceId = options.instanceId ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const events = options.events ? new CallEventPublisher(options.events, instanceId) : undefined;
  const srf = new Srf({
    ...srfOptionsFromConfig(config.sip, options.log, config.admission.trustedGateways),
    counters: limitAlertingCounters(options.sipCounters, events, config.sip.inviteRate),
  });
  const records: CallRecordSink =
    store.kind === 'redis'
      ? new RedisCallRecordSink(redis!, routing.callRecordRetention, log)
      : new MemoryCallRecordSink(routing.callRecordRetention);
  let legs: LiveLegs | undefined;
  const storeHealth = new StoreHealth();
  const stopWatchingStore = redis ? watchRedisHealth(redis, storeHealth) : () => undefined;
  storeHealth.onChange(({ up, at, downSince }) => {
    if (up) log.info({ downMs: at - (downSince ?? at) }, 'store reachable again: new calls admitted');
    else log.error('store unreachable: new calls refused with 503, live calls go on');
    events?.store(up, at, downSince);
  });
  const admission = createAdmission({
    config,
    store,
    redis,
    log: options.log,
    instanceId,
    onLeaseLost: (participantId) => legs?.hangUpParticipant(participantId, 'lease-lost'),
    onAlert: events ? (alert) => events.alert(alert) : undefined,
    storeUp: () => storeHealth.up,
  });
  legs = new LiveLegs(
    (id) => admission.release(id),
    records,
    log,
    (leg, cause) =>
      events?.ended(leg.record.callId, cause, { participantId: leg.participantId, bookingId: leg.bookingId }),
  );
  const liveLegs = legs;
  const mcus = poolMcus(config.mcu);
  if (mcus.length === 0) log.warn('no MCU configured (CONFGATE_MCU): every call will be refused with 503');
  const health = new McuHealth(
    mcus,
    srf,
    {
      intervalMs: routing.healthIntervalMs,
      timeoutMs: routing.healthTimeoutMs,
      downAfterFailures: routing.downAfterFailures,
      upAfterSuccesses: routing.upAfterSuccesses,
    },
    log,
    (id, up) => {
      events?.mcu(id, up);
      // Its callers are not left in silence: each is moved to another MCU, or released (docs/routing.md).
      if (!up) liveLegs.mcuDown(id);
    },
  );
  const graceMs = config.booking.graceMinutes * 60_000;
  const placements =
    store.kind === 'redis'
      ? new RedisPlacementStore(redis!)
      : new MemoryPlacementStore(store.bookings, (b, p) => liveLegs.othersOf(b, p), graceMs);
  const pool = new McuPool(mcus, health, placements);
  const prompts = PromptLibrary.load(config.ivr.promptsDir);
  const ivrCallers = new IvrCallers();
  const calls: DialInCallContext = {
    admission,
    pool,
    legs,
    records,
    prompts,
    ivr: ivrSettings(config),
    admissionTimeoutMs: config.ivr.admissionTimeoutMs,
    retryAfterSeconds: routing.retryAfterSeconds,
    log,
    events,
    onMcuInvite: options.onMcuInvite,
    refuseNewCalls: options.refuseNewCalls,
    ivrCallers,
    refuseWhileStoreDown: () =>
      storeHealth.up
        ? undefined
        : { status: 503, reason: 'Service Unavailable', retryAfterSeconds: routing.retryAfterSeconds },
    ivrCapacity: new IvrCapacity(ivrCaps(config)),
  };
  // One media endpoint for both signallings: SIP and H.323 callers share ports, clock and IVR.
  const media: MediaEndpointContext = {
    allocator: new RtpPortAllocator(config.media.rtpPortMin, config.media.rtpPortMax),
    clock: new PacingClock(),
    bindAddress: config.media.bindAddress,
    crossMethodWindowMs: config.media.dtmfCrossMethodWindowMs,
    rtpIo: config.media.rtpIo,
    log: { warn: (message) => log.warn(message) },
  };
  srf.invite(sipDialIn(calls, { srf, media, mediaAddress: config.publicHost, log }));
  srf.options((_req, res) => {
    const closed = options.refuseNewCalls?.();
    if (closed) res.send(closed.status, closed.reason, { headers: refusalHeaders(closed) });
    else srf.answerOptions(res);
  });
  await srf.listen();
  const h323 = await startH323Listener({
    config,
    calls,
    leg: {
      media,
      mediaAddress: config.publicHost,
      connectingClip: () => prompts.get(config.language, 'connecting'),
      log,
    },
    log: options.log,
    counters: options.h323Counters,
  });
  admission.start();
  // The rounds' control: an answer from ourselves shows our own receive queue is not what holds the MCUs' up.
  const listening = (p: 'udp' | 'tcp'): number | undefined =>
    config.sip.transports.includes(p) ? srf.address(p).port : undefined;
  health.start(controlPingUri(config.sip.host, { udp: listening('udp'), tcp: listening('tcp') }));
  const sweep = new BookingEndSweep(store.bookings, legs, graceMs, routing.sweepIntervalMs, log);
  sweep.start();
  log.info(
    { sip: srf.address(config.sip.transports[0]!), mcus: mcus.map((m) => m.uri), instanceId: admission.instanceId },
    'dial-in listening',
  );
  return {
    srf,
    admission,
    pool,
    legs,
    ivrCallers,
    records,
    storeHealth,
    reportMcuHealth: () => health.report(),
    kick: (participantId) => liveLegs.hangUpParticipant(participantId, 'kick'),
    h323,
    async stop() {
      await h323?.close();
      await sweep.stop();
      await health.stop();
      await Promise.all([liveLegs.hangUpAll('shutdown'), ivrCallers.hangUpAll('shutdown')]);
      admission.stop();
      stopWatchingStore();
      await srf.close();
    },
  };
}
