import { joinInfo } from '../../../src/booking/join-info';
import { confirmationIcs } from '../../../src/booking/confirmation/confirmation-ics';
import { booking, joinSettings, organizer } from './booking-fixture';

// ical.js ships its types for the ESM entry only; its CommonJS build (what the import below loads under jest) is the same API.
import type IcalJs from 'ical.js' with { 'resolution-mode': 'import' };

let ICAL: typeof IcalJs;
beforeAll(async () => {
  ICAL = (await import('ical.js')).default;
});

/**
 * Reads the invitation with ical.js (Mozilla's parser, Thunderbird's), an implementation
 * independent of ical-generator: the VTIMEZONE we ship must turn DTSTART;TZID / DTEND;TZID
 * back into the booking's UTC instants, as a calendar client would.
 */
describe('confirmation .ics read by ical.js', () => {
  it.each([
    ['Europe/Paris', '2026-12-01T10:00', '2026-12-01T09:00:00.000Z', '2026-12-01T10:30:00.000Z'],
    ['Europe/Paris', '2027-02-10T10:00', '2027-02-10T09:00:00.000Z', '2027-02-10T17:00:00.000Z'],
    ['America/New_York', '2027-11-07T00:30', '2027-11-07T04:30:00.000Z', '2027-11-07T07:30:00.000Z'],
    ['Asia/Kolkata', '2027-01-15T09:00', '2027-01-15T03:30:00.000Z', '2027-01-15T04:00:00.000Z'],
    ['Australia/Lord_Howe', '2027-01-15T09:00', '2027-01-14T22:00:00.000Z', '2027-01-14T23:00:00.000Z'],
  ])('%s %s: start and end are the booked instants', (timeZone, start, startsAt, endsAt) => {
    ICAL.TimezoneService.reset();
    const b = booking({ timeZone, start, startsAt, endsAt, sequence: 4 });
    const text = confirmationIcs({
      booking: b,
      organizer,
      join: joinInfo(b, joinSettings),
      kind: 'updated',
      description: 'join',
      now: new Date('2026-11-29T10:00:00Z'),
    });
    const calendar = ICAL.Component.fromString(text);
    const vtimezone = calendar.getFirstSubcomponent('vtimezone');
    expect(vtimezone?.getFirstPropertyValue('tzid')).toBe(timeZone);
    // As a client does: the VTIMEZONE shipped with the event defines its TZID.
    ICAL.TimezoneService.register(vtimezone!);
    const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!);
    expect(event.startDate.zone?.tzid).toBe(timeZone);
    expect(event.startDate.toString()).toBe(`${start}:00`);
    expect(new Date(event.startDate.toUnixTime() * 1000).toISOString()).toBe(startsAt);
    expect(new Date(event.endDate.toUnixTime() * 1000).toISOString()).toBe(endsAt);
    expect(event.uid).toBe(`booking-${b.id}@confgate`);
    expect(event.sequence).toBe(4);
    expect(event.location).toBe('sip:5387@visio.example.org');
    expect(event.attendees.map((a) => String(a.getFirstValue()).toLowerCase())).toEqual([
      'mailto:bob@example.org',
      'mailto:carol@example.org',
    ]);
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(calendar.getFirstSubcomponent('vevent')!.getFirstPropertyValue('dtstamp')!.toString()).toBe(
      '2026-11-29T10:00:00Z',
    );
  });
});
