import type { ConferenceAdmission } from '../admission/conference-admission';
import type { Language } from '../booking/booking';
import type { BookingService } from '../booking/booking-service';
import type { Logger } from '../log/logger';
import type { AdminAudit, AuditEntry } from './admin-audit';
import type { AdminCommandChannel } from './admin-commands';
import type { CallEvent } from '../call-log/call-events';
import { LiveNotFoundError } from './live-not-found-error';
import type { LiveConference, LiveState } from './live-state';

/** Who acts, as the audit records it: the principal and where the request came from. */
export type AdminActor = Pick<AuditEntry, 'by' | 'address' | 'userAgent'>;

export interface AdminActionsDeps {
  state: Pick<LiveState, 'conference'>;
  admission: Pick<ConferenceAdmission, 'release' | 'setLocked'>;
  commands: Pick<AdminCommandChannel, 'send'>;
  audit: Pick<AdminAudit, 'record'>;
  /** Publishes a call event and resolves once it is on the bus (`Live.publish`). */
  publish: (event: CallEvent) => Promise<string>;
  /** The booking rules and use cases (extend goes through them, as the booking API does). */
  bookings: Pick<BookingService, 'checkExtension' | 'update'>;
  log: Logger;
  /** Names this process in the events it publishes. */
  instanceId: string;
  /** Epoch ms. */
  now: () => number;
}

/**
 * The admin's actions on a conference in progress: kick, lock, unlock, end, extend. Each is
 * checked, then audited (who, from where) before it is done, then published as a call event so
 * every viewer updates. Kick and end go to whichever instance holds the legs (RFC 3261 §15.1.1 BYE
 * there) and free the slots here too, so a slot whose instance is gone is freed anyway.
 */
export class AdminActions {
  constructor(private readonly deps: AdminActionsDeps) {}

  /** Removes one participant; resolves with the number of instances the command reached. */
  async kick(
    number: string,
    participantId: string,
    actor: AdminActor,
  ): Promise<{ kicked: string; instancesNotified: number }> {
    const c = await this.conference(number);
    const p = c.participants.find((x) => x.participantId === participantId);
    if (!p) throw new LiveNotFoundError(`no participant ${participantId} in conference ${c.number}`);
    await this.audit(c, 'kick', actor, { participantId });
    const instances = await this.deps.commands.send({ kind: 'kick', participantId, by: actor.by, at: this.deps.now() });
    // Idempotent: the instance holding the leg releases too.
    await this.deps.admission.release(participantId);
    await this.deps.publish({
      kind: 'kicked',
      at: this.deps.now(),
      callId: p.callId,
      instanceId: this.deps.instanceId,
      participantId,
      bookingId: c.bookingId,
      by: actor.by,
    });
    return { kicked: participantId, instancesNotified: instances };
  }

  /** Locks (no new joins) or unlocks the conference, through admission: its flag is the one callers meet. */
  async setLocked(number: string, locked: boolean, actor: AdminActor): Promise<{ number: string; locked: boolean }> {
    const c = await this.conference(number);
    const action = locked ? 'lock' : 'unlock';
    await this.audit(c, action, actor);
    if (!(await this.deps.admission.setLocked(c.bookingId, locked)))
      throw new LiveNotFoundError(`booking ${c.bookingId} is gone`);
    await this.announce(c, action, actor);
    return { number: c.number, locked };
  }

  /** Ends the conference: every leg gets a BYE, every slot is freed. */
  async end(number: string, actor: AdminActor): Promise<{ number: string; ended: number; instancesNotified: number }> {
    const c = await this.conference(number);
    await this.audit(c, 'end', actor);
    const instances = await this.deps.commands.send({
      kind: 'end',
      bookingId: c.bookingId,
      by: actor.by,
      at: this.deps.now(),
    });
    for (const p of c.participants) await this.deps.admission.release(p.participantId);
    await this.announce(c, 'end', actor);
    return { number: c.number, ended: c.participants.length, instancesNotified: instances };
  }

  /** Runs the conference `minutes` longer, within the booking rules and without changing its number. */
  async extend(
    number: string,
    minutes: number,
    actor: AdminActor,
    language: Language,
  ): Promise<{ number: string; duration: string; endsAt: string; renumbered: boolean }> {
    const c = await this.conference(number);
    const admin = { kind: 'admin' } as const;
    const duration = await this.deps.bookings.checkExtension(admin, c.bookingId, minutes, language);
    await this.audit(c, 'extend', actor, { detail: duration });
    const saved = await this.deps.bookings.update(admin, c.bookingId, { duration }, language);
    await this.announce(c, 'extend', actor);
    return {
      number: saved.number,
      duration: saved.duration,
      endsAt: saved.endsAt,
      renumbered: saved.number !== c.number,
    };
  }

  private async conference(number: string): Promise<LiveConference> {
    const conference = await this.deps.state.conference(number, this.deps.now());
    if (!conference) throw new LiveNotFoundError(`no conference in progress on number ${number}`);
    return conference;
  }

  /** An action is not done before it is recorded. */
  private async audit(
    c: LiveConference,
    action: AuditEntry['action'],
    actor: AdminActor,
    extra: Pick<AuditEntry, 'participantId' | 'detail'> = {},
  ): Promise<void> {
    await this.deps.audit.record({
      at: this.deps.now(),
      ...actor,
      action,
      bookingId: c.bookingId,
      number: c.number,
      ...extra,
    });
    this.deps.log.info(
      { action, bookingId: c.bookingId, number: c.number, ...extra, by: actor.by, address: actor.address },
      'admin action',
    );
  }

  private async announce(
    c: LiveConference,
    action: Extract<CallEvent, { kind: 'conference' }>['action'],
    actor: AdminActor,
  ): Promise<void> {
    await this.deps.publish({
      kind: 'conference',
      at: this.deps.now(),
      callId: '-',
      instanceId: this.deps.instanceId,
      bookingId: c.bookingId,
      action,
      by: actor.by,
    });
  }
}
