import { randomUUID } from 'node:crypto';
import type { Logger } from '../log/logger';
import { NoFreeNumberError, StaleBookingError } from './repository-errors';
import type { Booking, Language, Organizer } from './booking';
import { BookingError } from './booking-error';
import type { BookingNotifier, NotificationKind } from './booking-notifier';
import type { BookingWindow } from './booking-repository';
import type { BookingStore } from './booking-store';
import { durationMinutes, durationText } from './booking-input';
import { checkBookingUpdate, checkNewBooking, type BookingRuleContext, type BookingRuleResult } from './booking-rules';
import { fieldError } from './field-error';

/** Who is asking: the admin (every booking) or one organiser (their own bookings only). */
export type Principal = { kind: 'admin' } | { kind: 'organizer'; organizer: Organizer };

export interface BookingServiceSettings {
  earlyJoinMinutes: number;
  graceMinutes: number;
  maxMonthsAhead: number;
  defaultLanguage: Language;
}

export interface BookingServiceDeps {
  store: BookingStore;
  notifier: BookingNotifier;
  settings: BookingServiceSettings;
  log: Logger;
  now?: () => Date;
  newId?: () => string;
}

export type BookingFilter = 'all' | 'upcoming' | 'past';

/**
 * The booking use cases: rules, then the store (which allocates the conference number), then the
 * notifier. A booking is saved before its mail is queued, and a notifier failure is logged, never
 * turned into a failed booking. Organisers reach only their own bookings; another organiser's
 * booking answers `not_found`, so ids cannot be probed.
 */
export class BookingService {
  private readonly now: () => Date;
  private readonly newId: () => string;

  constructor(private readonly deps: BookingServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.newId = deps.newId ?? randomUUID;
  }

  private ruleContext(messageLanguage: Language): BookingRuleContext {
    const s = this.deps.settings;
    return { now: this.now(), maxMonthsAhead: s.maxMonthsAhead, defaultLanguage: s.defaultLanguage, messageLanguage };
  }

  private window(b: Pick<Booking, 'startsAt' | 'endsAt'>): BookingWindow {
    const s = this.deps.settings;
    return {
      start: Date.parse(b.startsAt) - s.earlyJoinMinutes * 60_000,
      end: Date.parse(b.endsAt) + s.graceMinutes * 60_000,
    };
  }

  private static valid(result: BookingRuleResult): Extract<BookingRuleResult, { ok: true }>['draft'] {
    if (!result.ok) throw new BookingError('invalid', 'the booking breaks some rules', result.errors);
    return result.draft;
  }

  /** Creates a booking. The admin must say for which organiser (`organizerId`). */
  async create(principal: Principal, input: unknown, language: Language, organizerId?: string): Promise<Booking> {
    const draft = BookingService.valid(checkNewBooking(input, this.ruleContext(language)));
    const organizer = await this.owner(principal, organizerId, language);
    const at = this.now().toISOString();
    const booking: Omit<Booking, 'number'> = {
      id: this.newId(),
      organizerId: organizer.id,
      ...draft,
      status: 'active',
      sequence: 0,
      createdAt: at,
      updatedAt: at,
    };
    const saved = await this.save(() => this.deps.store.bookings.create(booking, this.window(booking)));
    this.deps.log.info(
      { bookingId: saved.id, number: saved.number, organizerId: organizer.id, startsAt: saved.startsAt },
      'booking created',
    );
    await this.notify(saved, organizer, 'created');
    return saved;
  }

  private async owner(principal: Principal, organizerId: string | undefined, language: Language): Promise<Organizer> {
    if (principal.kind === 'organizer') return principal.organizer;
    const organizer = organizerId === undefined ? undefined : await this.deps.store.organizers.get(organizerId);
    if (!organizer) {
      const code = organizerId === undefined ? 'required' : 'not_found';
      throw new BookingError('invalid', 'the admin must name an existing organiser', [
        fieldError('organizerId', code, language),
      ]);
    }
    return organizer;
  }

  async list(principal: Principal, filter: BookingFilter): Promise<Booking[]> {
    const now = this.now().getTime();
    const ends = filter === 'upcoming' ? { from: now } : filter === 'past' ? { before: now } : {};
    return principal.kind === 'admin'
      ? this.deps.store.bookings.listAll(ends)
      : this.deps.store.bookings.listByOrganizer(principal.organizer.id, ends);
  }

  async get(principal: Principal, id: string): Promise<Booking> {
    const booking = await this.deps.store.bookings.get(id);
    if (!booking || (principal.kind === 'organizer' && booking.organizerId !== principal.organizer.id)) {
      throw new BookingError('not_found', `no booking ${id}`);
    }
    return booking;
  }

  /**
   * Applies a partial change with the same rules; the number is kept unless the new window
   * collides. A change to the values the booking already has is answered with it, unchanged.
   */
  async update(principal: Principal, id: string, input: unknown, language: Language): Promise<Booking> {
    const current = await this.active(principal, id);
    const draft = BookingService.valid(checkBookingUpdate(current, input, this.ruleContext(language)));
    // A change that changes nothing keeps the SEQUENCE and sends no mail.
    if (
      Object.entries(draft).every(
        ([key, value]) => JSON.stringify(value) === JSON.stringify(current[key as keyof Booking]),
      )
    )
      return current;
    const next: Booking = { ...current, ...draft, sequence: current.sequence + 1, updatedAt: this.now().toISOString() };
    const saved = await this.save(() => this.deps.store.bookings.update(next, this.window(next)));
    this.deps.log.info(
      { bookingId: id, number: saved.number, renumbered: saved.number !== current.number, sequence: saved.sequence },
      'booking updated',
    );
    await this.notify(saved, await this.organizerOf(saved), 'updated');
    return saved;
  }

  /**
   * Checks that a booking in progress may last `minutes` longer, and answers its new duration (for
   * `update`): the booking rules' duration limit (08:00), reported on `minutes`; and the number's
   * next booking must start after the longer window, since a conference in progress cannot change
   * number (an update would otherwise renumber it).
   */
  async checkExtension(principal: Principal, id: string, minutes: number, language: Language): Promise<string> {
    const current = await this.active(principal, id);
    const duration = durationText((durationMinutes(current.duration) ?? 0) + minutes);
    const result = checkBookingUpdate(current, { duration }, this.ruleContext(language));
    if (!result.ok)
      throw new BookingError(
        'invalid',
        'the booking breaks some rules',
        result.errors.map((e) => ({ ...e, field: 'minutes' })),
      );
    const longer = this.window(result.draft);
    const next = (await this.deps.store.bookings.listAll({ from: this.now().getTime() })).find(
      (b) => b.number === current.number && b.id !== id && b.status === 'active' && this.window(b).start <= longer.end,
    );
    if (next)
      throw new BookingError(
        'number_taken',
        `conference number ${current.number} is booked again from ${next.startsAt}; it cannot be extended past that`,
      );
    return duration;
  }

  /** Cancels: the booking is kept, marked cancelled, and frees its number. Cancelling twice changes nothing. */
  async cancel(principal: Principal, id: string): Promise<Booking> {
    const current = await this.get(principal, id);
    if (current.status === 'cancelled') return current;
    const next: Booking = {
      ...current,
      status: 'cancelled',
      sequence: current.sequence + 1,
      updatedAt: this.now().toISOString(),
    };
    const saved = await this.save(() => this.deps.store.bookings.update(next, this.window(next)));
    this.deps.log.info({ bookingId: id, number: saved.number }, 'booking cancelled');
    await this.notify(saved, await this.organizerOf(saved), 'cancelled');
    return saved;
  }

  /** Queues the confirmation again (a cancelled booking gets its cancellation again). */
  async resend(principal: Principal, id: string): Promise<Booking> {
    const booking = await this.get(principal, id);
    await this.notify(
      booking,
      await this.organizerOf(booking),
      booking.status === 'cancelled' ? 'cancelled' : 'resend',
    );
    return booking;
  }

  mailStatus(id: string): ReturnType<BookingNotifier['status']> {
    return this.deps.notifier.status(id);
  }

  private async active(principal: Principal, id: string): Promise<Booking> {
    const booking = await this.get(principal, id);
    if (booking.status === 'cancelled') throw new BookingError('cancelled', `booking ${id} is cancelled`);
    return booking;
  }

  private async organizerOf(booking: Booking): Promise<Organizer> {
    const organizer = await this.deps.store.organizers.get(booking.organizerId);
    if (!organizer)
      throw new Error(`booking ${booking.id}: organiser ${booking.organizerId} is missing from the store`);
    return organizer;
  }

  private async save(write: () => Promise<Booking>): Promise<Booking> {
    try {
      return await write();
    } catch (e) {
      if (e instanceof NoFreeNumberError) throw new BookingError('no_free_number', e.message);
      if (e instanceof StaleBookingError) throw new BookingError('changed', e.message);
      throw e;
    }
  }

  /** The booking is already saved: a notifier failure is logged for the operator, not returned. */
  private async notify(booking: Booking, organizer: Organizer, kind: NotificationKind): Promise<void> {
    try {
      await this.deps.notifier.notify(booking, organizer, kind);
    } catch (e) {
      this.deps.log.error(
        { bookingId: booking.id, kind, err: (e as Error).message },
        'confirmation could not be queued',
      );
    }
  }
}
