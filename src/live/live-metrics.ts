import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RedisClient } from '../store/redis-connection';
import type { CallEvent, CallEventSink } from '../call-log/call-events';
import { ATTEMPT_ALERT_KINDS } from '../admission/admission-engine';

/** Admission's brute-force alerts, counted by scope; any other alert is an overload limit's. */
const ADMISSION_ALERTS: ReadonlySet<string> = new Set(ATTEMPT_ALERT_KINDS);

/**
 * This instance's Prometheus metrics, in a registry of their own (`/metrics`). Call metrics are
 * counted from the call events this instance publishes (so each instance counts its own calls
 * once); SIP counts come from {@link LiveMetrics.countSipRequest}/{@link LiveMetrics.countSipResponse},
 * which the SIP layer calls; Redis latency from {@link LiveMetrics.instrumentRedis}.
 */
export class LiveMetrics implements CallEventSink {
  readonly registry = new Registry();
  private readonly inIvr = new Map<string, number>();
  private readonly connected = new Map<string, string>();
  private readonly ivrCalls = new Gauge({
    name: 'confgate_calls_in_ivr',
    help: 'Calls of this instance in the IVR (not admitted yet)',
    registers: [this.registry],
  });
  private readonly connectedCalls = new Gauge({
    name: 'confgate_calls_connected',
    help: 'Participants of this instance connected to an MCU',
    registers: [this.registry],
  });
  private readonly draining = new Gauge({
    name: 'confgate_draining',
    help: '1 while this instance drains (refuses new calls, lets live ones end), else 0',
    registers: [this.registry],
  });
  private readonly storeUp = new Gauge({
    name: 'confgate_store_up',
    help: 'The store (Redis) answers this instance (1) or is unreachable (0); new calls get 503 while 0',
    registers: [this.registry],
  });
  private readonly admissions = new Counter({
    name: 'confgate_admissions_total',
    help: 'Callers admitted',
    registers: [this.registry],
  });
  private readonly refusals = new Counter({
    name: 'confgate_refusals_total',
    help: 'Callers refused, by reason',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  private readonly dtmf = new Counter({
    name: 'confgate_dtmf_entries_total',
    help: 'IVR entries collected, by DTMF method (RFC 4733, INFO, in-band)',
    labelNames: ['method'],
    registers: [this.registry],
  });
  private readonly ivrDuration = new Histogram({
    name: 'confgate_ivr_duration_seconds',
    help: 'Time from INVITE to the admission verdict',
    buckets: [1, 2, 5, 10, 15, 20, 30, 45, 60, 90],
    registers: [this.registry],
  });
  private readonly mcuSetup = new Histogram({
    name: 'confgate_mcu_setup_seconds',
    help: 'Admission and placement latency: INVITE in (direct dial) or access code complete (IVR) to INVITE out to the MCU',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });
  private readonly kicks = new Counter({
    name: 'confgate_kicks_total',
    help: 'Participants removed by an admin',
    registers: [this.registry],
  });
  private readonly moves = new Counter({
    name: 'confgate_mcu_moves_total',
    help: 'Connected callers whose MCU was lost: moved to another MCU (moved), or released because none took them (failed)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  private readonly alerts = new Counter({
    name: 'confgate_bruteforce_alerts_total',
    help: 'Brute-force alerts raised, by scope',
    labelNames: ['scope'],
    registers: [this.registry],
  });
  private readonly sipRequests = new Counter({
    name: 'confgate_sip_requests_total',
    help: 'SIP requests received, by method (RFC 3261 §7.1)',
    labelNames: ['method'],
    registers: [this.registry],
  });
  private readonly sipResponses = new Counter({
    name: 'confgate_sip_responses_total',
    help: 'SIP responses sent, by method and status (RFC 3261 §7.2)',
    labelNames: ['method', 'status'],
    registers: [this.registry],
  });
  private readonly sipInvitesLimited = new Counter({
    name: 'confgate_sip_invites_limited_total',
    help: 'New INVITEs answered 503 by the per-source rate limit, by source kind (trusted gateway or other)',
    labelNames: ['source'],
    registers: [this.registry],
  });
  private readonly sipInvitesOverTotal = new Counter({
    name: 'confgate_sip_invites_over_total_limit_total',
    help: 'New INVITEs answered 503 by the total INVITE rate limit (all untrusted sources together)',
    registers: [this.registry],
  });
  private readonly overloadAlerts = new Counter({
    name: 'confgate_overload_alerts_total',
    help: 'Overload alerts raised (at most one per limit and source a minute), by limit',
    labelNames: ['alert'],
    registers: [this.registry],
  });
  private readonly h323Calls = new Counter({
    name: 'confgate_h323_calls_total',
    help: 'H.323 calls whose Setup was read (H.225.0)',
    registers: [this.registry],
  });
  private readonly h323Faults = new Counter({
    name: 'confgate_h323_faults_total',
    help: 'H.323 frames or connections refused, by kind (tpkt, q931, per, unexpected, timeout, too-long, per-source)',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  private readonly mcuUp = new Gauge({
    name: 'confgate_mcu_up',
    help: 'MCU answers OPTIONS pings (1) or is down (0)',
    labelNames: ['mcu'],
    registers: [this.registry],
  });
  private readonly mcuLegs = new Gauge({
    name: 'confgate_mcu_legs',
    help: 'Legs of this instance connected to each MCU',
    labelNames: ['mcu'],
    registers: [this.registry],
  });
  private readonly redisLatency = new Histogram({
    name: 'confgate_redis_command_seconds',
    help: 'Redis command round trip, by command',
    labelNames: ['command'],
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    // Includes nodejs_eventloop_lag_seconds and the perf_hooks event loop delay percentiles.
    if (options.defaultMetrics !== false)
      collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 20 });
    this.storeUp.set(1);
  }

  publish(event: CallEvent): void {
    switch (event.kind) {
      case 'ringing':
        this.inIvr.set(event.callId, event.at);
        this.forgetStaleIvrCalls(event.at);
        break;
      case 'digits':
        if (event.stage === 'number' || event.stage === 'code') this.dtmf.inc({ method: event.dtmf });
        break;
      case 'admitted':
        this.admissions.inc();
        this.leaveIvr(event.callId, event.at);
        break;
      case 'refused':
        this.refusals.inc({ reason: event.reason });
        this.leaveIvr(event.callId, event.at);
        break;
      case 'connected':
        this.connected.set(event.participantId, event.mcu);
        break;
      case 'kicked':
        this.kicks.inc();
        break;
      case 'moved':
        this.moves.inc({ outcome: 'moved' });
        this.connected.set(event.participantId, event.to);
        break;
      case 'ended':
        if (event.reason === 'mcu-lost') this.moves.inc({ outcome: 'failed' });
        this.inIvr.delete(event.callId);
        if (event.participantId) this.connected.delete(event.participantId);
        break;
      case 'alert':
        if (event.alert === undefined || ADMISSION_ALERTS.has(event.alert)) this.alerts.inc({ scope: event.scope });
        else this.overloadAlerts.inc({ alert: event.alert });
        break;
      case 'mcu':
        this.setMcuUp(event.mcu, event.up);
        break;
      case 'store':
        this.storeUp.set(event.up ? 1 : 0);
        break;
      case 'conference':
        break;
    }
    this.ivrCalls.set(this.inIvr.size);
    this.connectedCalls.set(this.connected.size);
    const perMcu = new Map<string, number>();
    for (const mcu of this.connected.values()) perMcu.set(mcu, (perMcu.get(mcu) ?? 0) + 1);
    this.mcuLegs.reset();
    for (const [mcu, n] of perMcu) this.mcuLegs.set({ mcu }, n);
  }

  /**
   * A call whose end was never published (a lost event, a crash in the call) must not stay counted,
   * nor grow the map: no IVR call lasts an hour. Insertion order is arrival order, so stop at the first recent one.
   */
  private forgetStaleIvrCalls(now: number): void {
    for (const [callId, since] of this.inIvr) {
      if (since > now - 3_600_000) break;
      this.inIvr.delete(callId);
    }
  }

  private leaveIvr(callId: string, at: number): void {
    const since = this.inIvr.get(callId);
    if (since === undefined) return;
    this.inIvr.delete(callId);
    this.ivrDuration.observe(Math.max(0, at - since) / 1000);
  }

  /** This instance started (or stopped) draining. */
  setDraining(on: boolean): void {
    this.draining.set(on ? 1 : 0);
  }

  /** An MCU's health changed (or is known at start). */
  setMcuUp(mcu: string, up: boolean): void {
    this.mcuUp.set({ mcu }, up ? 1 : 0);
  }

  /** An admitted caller's INVITE went out to the MCU `ms` after it came in (see DialInControllerOptions.onMcuInvite). */
  observeMcuSetup(ms: number): void {
    this.mcuSetup.observe(ms / 1000);
  }

  /** The SIP layer received a request. Unknown methods are counted as `other` so a flood cannot add series. */
  countSipRequest(method: string): void {
    this.sipRequests.inc({ method: sipMethodLabel(method) });
  }

  /** The SIP layer sent a response to a request of `method`. */
  countSipResponse(method: string, status: number): void {
    this.sipResponses.inc({ method: sipMethodLabel(method), status: String(status) });
  }

  /** The SIP layer refused a new INVITE over its source's rate, or over the total rate. */
  countSipInviteLimited(trusted: boolean, limit: 'source' | 'total' = 'source'): void {
    this.sipInvitesLimited.inc({ source: trusted ? 'trusted' : 'other' });
    if (limit === 'total') this.sipInvitesOverTotal.inc();
  }

  countH323Call(): void {
    this.h323Calls.inc();
  }

  /** An H.323 frame or connection refused; `per-source` for a connection over the per-source cap. */
  countH323Fault(kind: string): void {
    this.h323Faults.inc({ kind });
  }

  /**
   * Times every command `redis` sends (ioredis `sendCommand`, which pipelines and MULTI use too),
   * into `confgate_redis_command_seconds{command}`. Call once per client.
   */
  instrumentRedis(redis: RedisClient): void {
    const client = redis as unknown as {
      sendCommand(cmd: { name: string; promise: Promise<unknown> }): unknown;
      __confgateTimed?: boolean;
    };
    if (client.__confgateTimed) return;
    client.__confgateTimed = true;
    const send = client.sendCommand.bind(client);
    client.sendCommand = (cmd) => {
      const end = this.redisLatency.startTimer({ command: cmd.name.toLowerCase() });
      const out = send(cmd);
      cmd.promise.then(
        () => end(),
        () => end(),
      );
      return out;
    };
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}

const SIP_METHODS = new Set([
  'INVITE',
  'ACK',
  'BYE',
  'CANCEL',
  'OPTIONS',
  'REGISTER',
  'INFO',
  'UPDATE',
  'PRACK',
  'SUBSCRIBE',
  'NOTIFY',
  'REFER',
  'MESSAGE',
  'PUBLISH',
]);

function sipMethodLabel(method: string): string {
  return SIP_METHODS.has(method) ? method : 'other';
}
