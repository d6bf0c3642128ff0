import type { ConferenceAdmission } from '../admission/conference-admission';
import type { AdminAudit } from './admin-audit';
import type { AdminCommandChannel } from './admin-commands';
import type { CallEvent, CallEventSink } from '../call-log/call-events';
import type { CallRecordQuery } from './call-record-query';
import type { CallEventBus } from './event-bus';
import type { LiveCallRecorder } from './live-call-recorder';
import type { LiveCallStore } from './live-call-store';
import type { LiveMetrics } from './live-metrics';
import type { LiveState } from './live-state';
import type { McuStatusBoard } from './mcu-status-board';

/** Everything live: the event sink ROUTING and the IVR publish to, and what the admin routes read. */
export interface Live {
  /**
   * Publish every call event here: it goes to the bus (all instances and viewers), the live call
   * registry (calls in the IVR, participant details) and this instance's metrics.
   */
  events: CallEventSink;
  /** Like `events.publish`, resolving once the event is on the bus and in the registry. */
  publish(event: CallEvent): Promise<string>;
  bus: CallEventBus;
  calls: LiveCallStore;
  recorder: LiveCallRecorder;
  state: LiveState;
  admission: ConferenceAdmission;
  commands: AdminCommandChannel;
  audit: AdminAudit;
  metrics: LiveMetrics;
  /** Call records for `/api/calls`; undefined without Redis and without a dial-in in this process. */
  records: CallRecordQuery | undefined;
  /** MCU health reported on the bus; call `start()` first. */
  mcus: McuStatusBoard;
  /** Subscribes what listens to the bus (the MCU board). */
  start(): Promise<void>;
  close(): Promise<void>;
}
