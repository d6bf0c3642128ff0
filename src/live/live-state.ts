import type { Participant } from '../admission/admission-engine';
import type { Booking } from '../booking/booking';
import type { BookingRepository } from '../booking/booking-repository';
import type { CallDetail, LiveCallStore } from './live-call-store';

/** One participant as the admin sees it: admission's record joined with the call's detail. */
export interface LiveParticipant {
  participantId: string;
  callId: string;
  displayName: string | null;
  callingNumber: string | null;
  source: string;
  /** The caller's signalling (`sip`, `h323`); null when its call detail is gone. */
  protocol: CallProtocol | null;
  transport: string | null;
  /** `ivr`, `code-only`, `direct` (from the call), else admission's `via`. */
  dialled: string;
  dtmf: string | null;
  userAgent: string | null;
  mcu: string | null;
  instanceId: string;
  joinedAt: string;
  durationSeconds: number;
  connectedAt: string | null;
}

/** A conference in progress: its booking facts, live participants and state. */
export interface LiveConference {
  bookingId: string;
  number: string;
  title: string;
  startsAt: string;
  endsAt: string;
  duration: string;
  timeZone: string;
  /** `estimatedConnections`: the cap admission enforces. */
  cap: number;
  participantsCount: number;
  mcu: string | null;
  locked: boolean;
  participants: LiveParticipant[];
}

/** A call still in the IVR. */
export interface IvrCallView {
  callId: string;
  source: string | null;
  protocol: CallProtocol | null;
  transport: string | null;
  dialled: string | null;
  displayName: string | null;
  callingNumber: string | null;
  userAgent: string | null;
  dtmf: string | null;
  number: string | null;
  instanceId: string | null;
  ringingAt: string | null;
  durationSeconds: number;
}

export interface LiveStateDeps {
  bookings: BookingRepository;
  /** Admission's live participants of a booking (`ConferenceAdmission.liveParticipants`). */
  liveParticipants: (bookingId: string) => Promise<Participant[]>;
  calls: LiveCallStore;
  /** Whether an admin locked the conference (`ConferenceAdmission.isLocked`). */
  isLocked: (bookingId: string) => Promise<boolean>;
  /** Margins of a booking's window (`booking.earlyJoinMinutes`, `booking.graceMinutes`), ms. */
  earlyJoinMs: number;
  graceMs: number;
}

/** RENAvisio's longest booking (booking rules: 08:00). */
const MAX_DURATION_MS = 8 * 3_600_000;
const iso = (ms: number): string => new Date(ms).toISOString();
const orNull = (s: string | undefined): string | null => (s === undefined || s === '' ? null : s);

/** A caller's signalling as the live view names it. */
export type CallProtocol = 'sip' | 'h323';

/** The protocol of a call detail: a `ringing` event of an earlier version carried none for SIP. */
function protocolOf(d: CallDetail | undefined): CallProtocol | null {
  if (!d) return null;
  return d.protocol === 'h323' ? 'h323' : 'sip';
}

/**
 * The live view, read from the store on every request (bookings, admission's participant records,
 * lock flags, call details), so any instance, and a viewer restarted a second ago, shows the truth.
 */
export class LiveState {
  constructor(private readonly deps: LiveStateDeps) {}

  /** Active bookings whose join window (start − early join … end + grace) holds `now`, by start. */
  async conferences(now: number): Promise<LiveConference[]> {
    // Open now means start − early join ≤ now ≤ end + grace, and a booking lasts at most 8 h: bounded on both sides.
    const bookings = await this.deps.bookings.listAll({
      from: now - this.deps.graceMs,
      before: now + this.deps.earlyJoinMs + MAX_DURATION_MS + 1,
    });
    const open = bookings.filter((b) => b.status === 'active' && Date.parse(b.startsAt) - this.deps.earlyJoinMs <= now);
    return Promise.all(open.map((b) => this.view(b, now)));
  }

  /** The conference in progress on `number`, or undefined. */
  async conference(number: string, now: number): Promise<LiveConference | undefined> {
    return (await this.conferences(now)).find((c) => c.number === number);
  }

  async ivrCalls(now: number): Promise<IvrCallView[]> {
    return (await this.deps.calls.ivrCalls(now)).map((d) => ({
      callId: d.callId,
      source: orNull(d.source),
      protocol: protocolOf(d),
      transport: orNull(d.transport),
      dialled: orNull(d.dialled),
      displayName: orNull(d.displayName),
      callingNumber: orNull(d.callingNumber),
      userAgent: orNull(d.userAgent),
      dtmf: orNull(d.dtmf),
      number: orNull(d.number),
      instanceId: orNull(d.instanceId),
      ringingAt: d.ringingAt ? iso(Number(d.ringingAt)) : null,
      durationSeconds: d.ringingAt ? Math.max(0, Math.round((now - Number(d.ringingAt)) / 1000)) : 0,
    }));
  }

  private async view(b: Booking, now: number): Promise<LiveConference> {
    const [participants, locked] = await Promise.all([this.deps.liveParticipants(b.id), this.deps.isLocked(b.id)]);
    const live = participants.filter((p) => p.leaseUntil >= now);
    const details = await this.deps.calls.participantDetails(live.map((p) => p.participantId));
    const views = live.map((p) => participantView(p, details.get(p.participantId), now));
    return {
      bookingId: b.id,
      number: b.number,
      title: b.title,
      startsAt: b.startsAt,
      endsAt: b.endsAt,
      duration: b.duration,
      timeZone: b.timeZone,
      cap: b.estimatedConnections,
      participantsCount: views.length,
      mcu: views.find((v) => v.mcu)?.mcu ?? null,
      locked,
      participants: views,
    };
  }
}

function participantView(p: Participant, d: CallDetail | undefined, now: number): LiveParticipant {
  return {
    participantId: p.participantId,
    callId: p.callId,
    displayName: orNull(d?.displayName),
    callingNumber: orNull(d?.callingNumber),
    source: p.source,
    protocol: protocolOf(d),
    transport: orNull(d?.transport),
    dialled: d?.dialled ?? p.via,
    dtmf: orNull(d?.dtmf),
    userAgent: orNull(d?.userAgent),
    mcu: orNull(d?.mcu),
    instanceId: p.instanceId,
    joinedAt: iso(p.joinedAt),
    durationSeconds: Math.max(0, Math.round((now - p.joinedAt) / 1000)),
    connectedAt: d?.connectedAt ? iso(Number(d.connectedAt)) : null,
  };
}
