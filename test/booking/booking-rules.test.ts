import {
  checkBookingUpdate,
  checkNewBooking,
  type BookingRuleContext,
  type BookingDraft,
} from '../../src/booking/booking-rules';
import type { FieldError } from '../../src/booking/field-error';

// 2026-12-01 10:00 in Paris (CET, UTC+1).
const now = new Date('2026-12-01T09:00:00.000Z');
const ctx: BookingRuleContext = { now, maxMonthsAhead: 3, defaultLanguage: 'fr', messageLanguage: 'en' };

const valid = {
  title: 'Réunion équipe 42',
  start: '2026-12-02T14:00',
  timeZone: 'Europe/Paris',
  duration: '01:30',
  estimatedConnections: 5,
  acceptTerms: true,
};

function accept(input: Record<string, unknown>, c: BookingRuleContext = ctx): BookingDraft {
  const r = checkNewBooking(input, c);
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.errors)}`);
  return r.draft;
}

function refuse(input: unknown, c: BookingRuleContext = ctx): FieldError[] {
  const r = checkNewBooking(input, c);
  if (r.ok) throw new Error(`accepted: ${JSON.stringify(r.draft)}`);
  return r.errors;
}

const codeOf = (errors: FieldError[], field: string): string | undefined => errors.find((e) => e.field === field)?.code;

describe('checkNewBooking: a valid booking', () => {
  it('fills defaults and computes UTC instants', () => {
    const d = accept({ ...valid, accessCode: 4321 });
    expect(d).toEqual({
      title: 'Réunion équipe 42',
      accessCode: 4321,
      start: '2026-12-02T14:00',
      timeZone: 'Europe/Paris',
      duration: '01:30',
      startsAt: '2026-12-02T13:00:00.000Z',
      endsAt: '2026-12-02T14:30:00.000Z',
      type: 'video',
      estimatedConnections: 5,
      comment: '',
      recipients: [],
      calendarInvite: true,
      language: 'fr',
    });
  });

  it('generates a 4-digit access code when absent, from the injected source or crypto', () => {
    expect(accept(valid, { ...ctx, newAccessCode: () => 1234 }).accessCode).toBe(1234);
    const codes = new Set(Array.from({ length: 200 }, () => accept(valid).accessCode));
    for (const c of codes) expect(c >= 1000 && c <= 9999 && Number.isInteger(c)).toBe(true);
    expect(codes.size).toBeGreaterThan(150);
  });

  it('trims the title and canonicalises the time zone', () => {
    const d = accept({ ...valid, title: '  Cours 3  ', timeZone: 'europe/paris' });
    expect(d.title).toBe('Cours 3');
    expect(d.timeZone).toBe('Europe/Paris');
  });

  it('keeps the duration across a clock change (elapsed time)', () => {
    const c = { ...ctx, now: new Date('2026-03-20T09:00:00Z') };
    const d = accept({ ...valid, start: '2026-03-29T01:00', duration: '03:00' }, c);
    expect(d.startsAt).toBe('2026-03-29T00:00:00.000Z');
    expect(d.endsAt).toBe('2026-03-29T03:00:00.000Z');
  });
});

describe('checkNewBooking: limits', () => {
  it('title: 24 characters accepted, 25 refused, empty after trim refused, punctuation refused', () => {
    expect(accept({ ...valid, title: 'é'.repeat(24) }).title).toHaveLength(24);
    expect(accept({ ...valid, title: ` ${'a'.repeat(24)} ` }).title).toHaveLength(24);
    expect(codeOf(refuse({ ...valid, title: 'a'.repeat(25) }), 'title')).toBe('too_long');
    expect(codeOf(refuse({ ...valid, title: '   ' }), 'title')).toBe('too_short');
    expect(codeOf(refuse({ ...valid, title: 'Réunion!' }), 'title')).toBe('invalid_characters');
    expect(codeOf(refuse({ ...valid, title: 'a<script>' }), 'title')).toBe('invalid_characters');
  });

  it('accessCode: 999 and 10000 refused, 1000 and 9999 accepted, non-integers refused', () => {
    expect(codeOf(refuse({ ...valid, accessCode: 999 }), 'accessCode')).toBe('out_of_range');
    expect(accept({ ...valid, accessCode: 1000 }).accessCode).toBe(1000);
    expect(accept({ ...valid, accessCode: 9999 }).accessCode).toBe(9999);
    expect(codeOf(refuse({ ...valid, accessCode: 10000 }), 'accessCode')).toBe('out_of_range');
    expect(codeOf(refuse({ ...valid, accessCode: 1000.5 }), 'accessCode')).toBe('not_integer');
    expect(codeOf(refuse({ ...valid, accessCode: '1234' }), 'accessCode')).toBe('invalid_type');
  });

  it('start: now − 1 min refused, the current minute accepted', () => {
    expect(codeOf(refuse({ ...valid, start: '2026-12-01T09:59' }), 'start')).toBe('in_the_past');
    const c = { ...ctx, now: new Date('2026-12-01T09:00:42.000Z') };
    expect(accept({ ...valid, start: '2026-12-01T10:00' }, c).startsAt).toBe('2026-12-01T09:00:00.000Z');
  });

  it('start: 3 months accepted (whole last day), 3 months + 1 day refused, in the zone of the booking', () => {
    expect(accept({ ...valid, start: '2027-03-01T23:59' }).start).toBe('2027-03-01T23:59');
    expect(codeOf(refuse({ ...valid, start: '2027-03-02T00:00' }), 'start')).toBe('too_far_ahead');
    // On 30 November "3 months later" is the last day of February.
    const c = { ...ctx, now: new Date('2026-11-30T12:00:00Z') };
    expect(accept({ ...valid, start: '2027-02-28T10:00' }, c).start).toBe('2027-02-28T10:00');
    expect(codeOf(refuse({ ...valid, start: '2027-03-01T10:00' }, c), 'start')).toBe('too_far_ahead');
    // At 23:30 UTC on 30 November it is already 1 December in Paris.
    const late = { ...ctx, now: new Date('2026-11-30T23:30:00Z') };
    expect(accept({ ...valid, start: '2027-03-01T10:00' }, late).start).toBe('2027-03-01T10:00');
  });

  it('start: malformed, impossible date and skipped local time refused', () => {
    expect(codeOf(refuse({ ...valid, start: '2026-12-02 14:00' }), 'start')).toBe('invalid_format');
    expect(codeOf(refuse({ ...valid, start: '2027-02-30T14:00' }), 'start')).toBe('invalid_format');
    const c = { ...ctx, now: new Date('2026-03-20T09:00:00Z') };
    expect(codeOf(refuse({ ...valid, start: '2026-03-29T02:30' }, c), 'start')).toBe('nonexistent_time');
  });

  it('timeZone: unknown refused', () => {
    expect(codeOf(refuse({ ...valid, timeZone: 'Europe/Atlantis' }), 'timeZone')).toBe('invalid_time_zone');
    expect(codeOf(refuse({ ...valid, timeZone: 42 }), 'timeZone')).toBe('invalid_type');
  });

  it('duration: 00:29 and 08:01 refused, 00:30 and 08:00 accepted, malformed refused', () => {
    expect(codeOf(refuse({ ...valid, duration: '00:29' }), 'duration')).toBe('out_of_range');
    expect(accept({ ...valid, duration: '00:30' }).endsAt).toBe('2026-12-02T13:30:00.000Z');
    expect(accept({ ...valid, duration: '08:00' }).endsAt).toBe('2026-12-02T21:00:00.000Z');
    expect(codeOf(refuse({ ...valid, duration: '08:01' }), 'duration')).toBe('out_of_range');
    for (const bad of ['1:30', '01:60', '0130', ''])
      expect(codeOf(refuse({ ...valid, duration: bad }), 'duration')).toBe('invalid_format');
  });

  it('estimatedConnections: 1 and 21 refused, 2 and 20 accepted', () => {
    expect(codeOf(refuse({ ...valid, estimatedConnections: 1 }), 'estimatedConnections')).toBe('out_of_range');
    expect(accept({ ...valid, estimatedConnections: 2 }).estimatedConnections).toBe(2);
    expect(accept({ ...valid, estimatedConnections: 20 }).estimatedConnections).toBe(20);
    expect(codeOf(refuse({ ...valid, estimatedConnections: 21 }), 'estimatedConnections')).toBe('out_of_range');
  });

  it('recipients: 20 accepted, 21 refused, de-duplicated case-insensitively before counting, invalid address refused', () => {
    const list = (n: number): string[] => Array.from({ length: n }, (_, i) => `p${i}@example.org`);
    expect(accept({ ...valid, recipients: list(20) }).recipients).toHaveLength(20);
    expect(codeOf(refuse({ ...valid, recipients: list(21) }), 'recipients')).toBe('too_many');
    expect(accept({ ...valid, recipients: [...list(20), 'P0@Example.ORG'] }).recipients).toEqual(list(20));
    expect(
      accept({ ...valid, recipients: ['Ann@Example.org', 'ann@example.ORG', 'bob@example.org'] }).recipients,
    ).toEqual(['Ann@Example.org', 'bob@example.org']);
    expect(codeOf(refuse({ ...valid, recipients: ['ok@example.org', 'not-an-address'] }), 'recipients.1')).toBe(
      'invalid_email',
    );
  });

  it('comment: 500 accepted, 501 refused', () => {
    expect(accept({ ...valid, comment: 'x'.repeat(500) }).comment).toHaveLength(500);
    expect(codeOf(refuse({ ...valid, comment: 'x'.repeat(501) }), 'comment')).toBe('too_long');
  });

  it('acceptTerms: false or missing refused', () => {
    expect(codeOf(refuse({ ...valid, acceptTerms: false }), 'acceptTerms')).toBe('must_accept');
    const { acceptTerms: _, ...without } = valid;
    expect(codeOf(refuse(without), 'acceptTerms')).toBe('required');
  });

  it('type, language and calendarInvite: enumerations enforced', () => {
    expect(accept({ ...valid, type: 'audio', language: 'en', calendarInvite: false })).toMatchObject({
      type: 'audio',
      language: 'en',
      calendarInvite: false,
    });
    const e = refuse({ ...valid, type: 'hologram', language: 'de', calendarInvite: 'yes' });
    expect(codeOf(e, 'type')).toBe('invalid_value');
    expect(codeOf(e, 'language')).toBe('invalid_value');
    expect(codeOf(e, 'calendarInvite')).toBe('invalid_type');
  });
});

describe('checkNewBooking: error shape', () => {
  it('reports one entry per field, unknown fields and missing ones', () => {
    const e = refuse({ title: 'a'.repeat(30) + '!', number: '1234', organizerId: 'x' });
    expect(e.filter((x) => x.field === 'title')).toHaveLength(1);
    expect(codeOf(e, 'number')).toBe('unknown_field');
    expect(codeOf(e, 'organizerId')).toBe('unknown_field');
    for (const f of ['start', 'timeZone', 'duration', 'estimatedConnections', 'acceptTerms'])
      expect(codeOf(e, f)).toBe('required');
  });

  it('speaks French or English', () => {
    const en = refuse({ ...valid, title: 'a'.repeat(25) });
    const fr = refuse({ ...valid, title: 'a'.repeat(25) }, { ...ctx, messageLanguage: 'fr' });
    expect(en).toEqual([{ field: 'title', code: 'too_long', message: 'must be at most 24 characters' }]);
    expect(fr).toEqual([{ field: 'title', code: 'too_long', message: 'doit faire au plus 24 caractères' }]);
    expect(refuse({ ...valid, start: '2027-06-01T10:00' }, { ...ctx, messageLanguage: 'fr' })[0]!.message).toBe(
      "doit être au plus 3 mois après aujourd'hui",
    );
  });

  it('refuses non-object bodies without throwing', () => {
    for (const body of [null, [], 'text', 42, undefined]) expect(refuse(body)[0]!.field).toBe('(body)');
  });
});

describe('checkBookingUpdate', () => {
  const existing = accept({ ...valid, accessCode: 5555 });

  it('merges a partial change and recomputes the instants', () => {
    const r = checkBookingUpdate(existing, { duration: '02:00', title: 'Nouveau titre' }, ctx);
    expect(r.ok && r.draft).toMatchObject({
      title: 'Nouveau titre',
      duration: '02:00',
      accessCode: 5555,
      endsAt: '2026-12-02T15:00:00.000Z',
    });
  });

  it('applies the same limits and refuses unknown fields', () => {
    const r = checkBookingUpdate(existing, { estimatedConnections: 21, number: '9999', acceptTerms: false }, ctx);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors.map((e) => [e.field, e.code]).sort()).toEqual([
        ['acceptTerms', 'must_accept'],
        ['estimatedConnections', 'out_of_range'],
        ['number', 'unknown_field'],
      ]);
  });

  it('checks the calendar only when the start moves', () => {
    const later = { ...ctx, now: new Date('2026-12-02T13:30:00Z') }; // the conference is running
    expect(checkBookingUpdate(existing, { comment: 'salle B' }, later).ok).toBe(true);
    const moved = checkBookingUpdate(existing, { start: '2026-12-02T14:00' }, later);
    expect(!moved.ok && moved.errors[0]!.code).toBe('in_the_past');
  });
});
