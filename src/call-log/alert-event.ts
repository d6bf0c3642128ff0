import type { AttemptAlert } from '../admission/admission-engine';
import type { CallEvent } from './call-events';

/**
 * Admission's brute-force alert as a call event, for the admin's feed. Pass to admission's
 * `onAlert`: `onAlert: (a) => live.events.publish(alertEvent(a))` (the instance raising it publishes it once).
 */
export function alertEvent(alert: AttemptAlert): CallEvent {
  return {
    kind: 'alert',
    alert: alert.kind,
    at: alert.at,
    callId: alert.callId,
    instanceId: alert.instanceId,
    scope: alert.scope,
    subject: alert.subject,
    number: alert.number,
    count: alert.count,
    limit: alert.limit,
  };
}
