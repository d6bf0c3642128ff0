import type { AttemptAlert } from '../admission/admission-engine';
import type { DtmfMethod } from '../media/dtmf/dtmf-digit';
import type { TransportProtocol } from '../sip';
import { alertEvent } from './alert-event';
import { AlertThrottle } from './alert-throttle';
import type { CallEventSink, LiveDtmfMethod } from './call-events';

/** The overload limits that raise live alerts: INVITE rates (per source, total) and IVR calls (docs/sip.md). */
export type OverloadAlert = 'invite-rate' | 'invite-total' | 'ivr-calls';

/** What the dial-in knows of a caller when its INVITE arrives (RFC 3261 §20.20 From, §20.41 User-Agent). */
export interface RingingCall {
  callId: string;
  startedAt: number;
  source: string;
  transport: TransportProtocol;
  /** The caller's signalling; SIP when absent. */
  protocol?: 'sip' | 'h323';
  dialled: 'ivr' | 'code-only' | 'direct' | 'invalid';
  displayName?: string;
  callingNumber?: string;
  userAgent?: string;
}

/** The live view's name for a DTMF method (`docs/live.md`); `none` when no digit was keyed (direct dial). */
export function liveDtmfMethod(method: DtmfMethod | undefined): LiveDtmfMethod {
  if (method === 'sip-info') return 'info';
  return method ?? 'none';
}

/**
 * The dial-in's side of the live view: turns each step of a call into a call event
 * (`src/call-log/call-events.ts`) stamped with this instance's id, and hands it to the sink, which
 * never throws nor waits. Free-text fields are cut to the schema's limits so a long display name
 * or User-Agent cannot make an event invalid.
 */
export class CallEventPublisher {
  /** Overload alerts: one per limit and source a minute. */
  private readonly overloads = new AlertThrottle(60_000);

  constructor(
    private readonly sink: CallEventSink,
    private readonly instanceId: string,
    private readonly now: () => number = Date.now,
  ) {}

  ringing(call: RingingCall): void {
    this.sink.publish({
      kind: 'ringing',
      at: call.startedAt,
      callId: call.callId,
      instanceId: this.instanceId,
      source: call.source,
      transport: call.transport,
      protocol: call.protocol ?? 'sip',
      dialled: call.dialled,
      ...optional('displayName', call.displayName, 128),
      ...optional('callingNumber', call.callingNumber, 64),
      ...optional('userAgent', call.userAgent, 256),
    });
  }

  /** The caller's entry is complete: its DTMF method (the first digit's) and the conference number. */
  digits(callId: string, dtmf: DtmfMethod | undefined, number: string): void {
    this.sink.publish({ kind: 'digits', ...this.stamp(callId), stage: 'code', dtmf: liveDtmfMethod(dtmf), number });
  }

  admitted(callId: string, participantId: string, bookingId: string, number: string): void {
    this.sink.publish({ kind: 'admitted', ...this.stamp(callId), participantId, bookingId, number });
  }

  refused(callId: string, reason: string, number: string | undefined, source: string): void {
    this.sink.publish({ kind: 'refused', ...this.stamp(callId), reason, ...(number ? { number } : {}), source });
  }

  connected(callId: string, participantId: string, bookingId: string, mcu: string): void {
    this.sink.publish({ kind: 'connected', ...this.stamp(callId), participantId, bookingId, mcu });
  }

  /** A connected caller moved off its lost MCU `from` to `to`. */
  moved(callId: string, participant: { participantId: string; bookingId: string }, from: string, to: string): void {
    this.sink.publish({ kind: 'moved', ...this.stamp(callId), ...participant, from, to });
  }

  ended(callId: string, reason: string, participant?: { participantId: string; bookingId: string }): void {
    this.sink.publish({ kind: 'ended', ...this.stamp(callId), reason, ...participant });
  }

  /** An MCU's OPTIONS health (RFC 3261 §11): its first result, then each change. No call: the Call-ID is the MCU's id. */
  mcu(mcu: string, up: boolean): void {
    this.sink.publish({ kind: 'mcu', ...this.stamp(`mcu:${mcu}`), mcu, up });
  }

  /** The store became unreachable (`up` false) or reachable again, then with the outage's start. No call: the Call-ID is `store`. */
  store(up: boolean, at: number, downSince?: number): void {
    this.sink.publish({
      kind: 'store',
      at,
      callId: 'store',
      instanceId: this.instanceId,
      up,
      ...(downSince ? { downSince } : {}),
    });
  }

  /** Admission's brute-force alert, for the admin's feed. */
  alert(alert: AttemptAlert): void {
    this.sink.publish(alertEvent(alert));
  }

  /**
   * An overload limit refused a call from `subject` (a source address, or `all` for a total limit):
   * an `alert` event at most once a minute per limit and subject, counting the refusals since.
   */
  overload(alert: OverloadAlert, scope: 'source' | 'total', subject: string, limit: number): void {
    const at = this.now();
    const count = this.overloads.hit(`${alert}|${subject}`, at);
    if (count === undefined) return;
    this.sink.publish({
      kind: 'alert',
      at,
      callId: `${alert}:${subject}`.slice(0, 256),
      instanceId: this.instanceId,
      alert,
      scope,
      subject: subject.slice(0, 128),
      number: '',
      count,
      limit: Math.round(limit),
    });
  }

  private stamp(callId: string): { at: number; callId: string; instanceId: string } {
    return { at: this.now(), callId, instanceId: this.instanceId };
  }
}

function optional<K extends string>(key: K, value: string | undefined, max: number): Partial<Record<K, string>> {
  return value ? ({ [key]: value.slice(0, max) } as Partial<Record<K, string>>) : {};
}
