import type { Logger } from '../log/logger';
import type { CallRecord, CallRecordSink } from '../call-log/call-record';
import { emptyWithin } from './empty-within';

/** Why a leg ended (the call record's `endedBy`). */
export type LegEnd =
  | 'caller'
  | 'mcu'
  | 'cancel'
  | 'no-mcu'
  | 'mcu-failure'
  /** The caller's MCU was lost mid-call and no other MCU took the caller. */
  | 'mcu-lost'
  | 'media-refused'
  | 'booking-ended'
  | 'lease-lost'
  | 'kick'
  | 'shutdown'
  | 'error';

/** An admitted participant's call on this instance, from admission to its end. */
export class CallLeg {
  mcu: string | undefined;
  connectedAt: number | undefined;
  /** Set once connected (or while setting up): how confgate hangs this call up itself. */
  hangUp: ((cause: LegEnd) => void) | undefined;
  /** A hang-up asked for before `hangUp` was set: applied once the call is connected. */
  pendingHangUp: LegEnd | undefined;
  /** Set once connected: moves the call off its MCU, found down or failed under it. */
  mcuLost: (() => void) | undefined;
  private done = false;

  constructor(
    readonly participantId: string,
    readonly bookingId: string,
    readonly record: Omit<CallRecord, 'durationMs' | 'endedBy'>,
    private readonly finish: (leg: CallLeg, cause: LegEnd, sipStatus?: number) => void,
  ) {}

  get ended(): boolean {
    return this.done;
  }

  /** Ends the leg's bookkeeping (slot release, call record) exactly once, whatever called it. */
  end(cause: LegEnd, sipStatus?: number): void {
    if (this.done) return;
    this.done = true;
    this.finish(this, cause, sipStatus);
  }

  /** Asks the call to hang up: at once if connected, or as soon as it is. */
  requestHangUp(cause: LegEnd): void {
    if (this.hangUp) this.hangUp(cause);
    else this.pendingHangUp ??= cause;
  }
}

/**
 * The admitted calls of this instance, by participant id. Ending a leg is the one place that frees
 * the participant's admission slot (`release`, idempotent anyway) and writes its call record, so
 * whatever ends the call (BYE either way, CANCEL, MCU failure, timeout, lease lost, booking end,
 * admin kick) releases the slot exactly once.
 */
export class LiveLegs {
  private readonly legs = new Map<string, CallLeg>();
  private readonly emptied: Array<() => void> = [];

  constructor(
    private readonly release: (participantId: string) => Promise<boolean>,
    private readonly records: CallRecordSink,
    private readonly log: Logger,
    /** Told once per leg, after its record is written (the live view's `ended` event). */
    private readonly onEnded: (leg: CallLeg, cause: LegEnd) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.legs.size;
  }

  open(participantId: string, bookingId: string, record: CallLeg['record']): CallLeg {
    const leg = new CallLeg(participantId, bookingId, record, (l, cause, sipStatus) =>
      this.finish(l, cause, sipStatus),
    );
    this.legs.set(participantId, leg);
    return leg;
  }

  get(participantId: string): CallLeg | undefined {
    return this.legs.get(participantId);
  }

  /** This instance's legs of a booking other than `participantId`. */
  othersOf(bookingId: string, participantId: string): number {
    let n = 0;
    for (const leg of this.legs.values()) if (leg.bookingId === bookingId && leg.participantId !== participantId) n++;
    return n;
  }

  /** The bookings this instance has legs of. */
  bookings(): Set<string> {
    return new Set([...this.legs.values()].map((l) => l.bookingId));
  }

  /** Hangs up every leg of a booking (booking over, cancelled). */
  hangUpBooking(bookingId: string, cause: LegEnd): number {
    let n = 0;
    for (const leg of [...this.legs.values()]) {
      if (leg.bookingId !== bookingId) continue;
      leg.requestHangUp(cause);
      n++;
    }
    return n;
  }

  /** Tells every call connected to `mcuId` that its MCU is lost (health found it down); returns how many. */
  mcuDown(mcuId: string): number {
    let n = 0;
    for (const leg of [...this.legs.values()]) {
      if (leg.mcu !== mcuId || !leg.mcuLost) continue;
      leg.mcuLost();
      n++;
    }
    return n;
  }

  /** Hangs up one participant (admin kick, lease lost); false when it has no leg here. */
  hangUpParticipant(participantId: string, cause: LegEnd): boolean {
    const leg = this.legs.get(participantId);
    leg?.requestHangUp(cause);
    return leg !== undefined;
  }

  /** Hangs up every leg and resolves once all have ended (or after `timeoutMs`). */
  async hangUpAll(cause: LegEnd, timeoutMs = 2000): Promise<void> {
    for (const leg of [...this.legs.values()]) leg.requestHangUp(cause);
    await emptyWithin(this.whenEmpty(), timeoutMs);
  }

  /** Resolves once this instance carries no call (at once when it carries none): the end of a drain. */
  whenEmpty(): Promise<void> {
    if (this.legs.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.emptied.push(resolve));
  }

  private finish(leg: CallLeg, cause: LegEnd, sipStatus: number | undefined): void {
    this.legs.delete(leg.participantId);
    const now = this.now();
    this.release(leg.participantId).catch((err: unknown) =>
      this.log.error({ err, participantId: leg.participantId }, 'participant release failed'),
    );
    this.records.write({
      ...leg.record,
      mcu: leg.mcu,
      participantId: leg.participantId,
      setupMs: leg.connectedAt !== undefined ? leg.connectedAt - leg.record.startedAt : undefined,
      connectedMs: leg.connectedAt !== undefined ? now - leg.connectedAt : undefined,
      durationMs: now - leg.record.startedAt,
      endedBy: cause,
      sipStatus,
    });
    this.log.info(
      { callId: leg.record.callId, participantId: leg.participantId, mcu: leg.mcu, endedBy: cause },
      'dial-in: call ended',
    );
    this.onEnded(leg, cause);
    if (this.legs.size === 0) for (const f of this.emptied.splice(0)) f();
  }
}
