import type { Logger } from '../log/logger';
import type { CallEvent, CallEventSink } from '../call-log/call-events';
import type { LiveCallStore } from './live-call-store';

/**
 * Keeps the live call registry true from the events of this instance's calls, so the caller's
 * details are written once, by the instance holding the call: `ringing` registers a call in the
 * IVR (lease `ivrLeaseMs`, renewed by each `digits`), `admitted` turns it into the participant's
 * detail, `connected` adds the MCU, `moved` changes it, `refused`/`ended`/`kicked` forget it. Never throws.
 */
export class LiveCallRecorder implements CallEventSink {
  constructor(
    private readonly store: LiveCallStore,
    private readonly ivrLeaseMs: number,
    private readonly log: Logger,
  ) {}

  /** Applied in publication order: on Redis a `promote` reads then writes, and a quick `ended` must not run in between. */
  private applied: Promise<void> = Promise.resolve();

  publish(event: CallEvent): void {
    this.applied = this.applied
      .then(() => this.record(event))
      .catch((err: unknown) =>
        this.log.error({ err, kind: event.kind, callId: event.callId }, 'live call registry not updated'),
      );
  }

  /** Applies one event; resolves when the registry has it (tests and `append` callers await it). */
  async record(event: CallEvent): Promise<void> {
    const lease = event.at + this.ivrLeaseMs;
    switch (event.kind) {
      case 'ringing': {
        const { kind: _k, at, ...rest } = event;
        return this.store.putIvrCall({ ...rest, ringingAt: String(at) }, lease);
      }
      case 'digits':
        return this.store.putIvrCall(
          { callId: event.callId, dtmf: event.dtmf, ...(event.number ? { number: event.number } : {}) },
          lease,
        );
      case 'admitted':
        return this.store.promote(event.callId, event.participantId, {
          bookingId: event.bookingId,
          number: event.number,
          instanceId: event.instanceId,
        });
      case 'connected':
        return this.store.updateParticipant(event.participantId, { mcu: event.mcu, connectedAt: String(event.at) });
      case 'moved':
        return this.store.updateParticipant(event.participantId, { mcu: event.to });
      case 'refused':
        return this.store.forget(event.callId);
      case 'ended':
      case 'kicked':
        return this.store.forget(event.callId, event.participantId);
      default:
        return undefined;
    }
  }
}
