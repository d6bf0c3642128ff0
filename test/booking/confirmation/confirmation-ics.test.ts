import type { Booking } from '../../../src/booking/booking';
import type { NotificationKind } from '../../../src/booking/booking-notifier';
import { joinInfo } from '../../../src/booking/join-info';
import { confirmationIcs, eventUid } from '../../../src/booking/confirmation/confirmation-ics';
import { booking, joinSettings, organizer } from './booking-fixture';
import { componentProperties, icsProperties, icsText, single } from './ics-properties';

const NOW = new Date('2026-11-29T10:00:00Z');

function ics(b: Booking, kind: NotificationKind = 'created') {
  const text = confirmationIcs({
    booking: b,
    organizer,
    join: joinInfo(b, joinSettings),
    kind,
    description: 'Conference number: 5387 (end with #)\nAccess code: 8688 (end with #)',
    now: NOW,
  });
  const all = icsProperties(text);
  return { text, all, calendar: componentProperties(all, 'VCALENDAR'), event: componentProperties(all, 'VEVENT') };
}

describe('confirmation .ics', () => {
  it('is a METHOD:REQUEST VEVENT with TZID start and end, summary, join description, SIP location', () => {
    const { calendar, event } = ics(booking());
    expect(single(calendar, 'VERSION').value).toBe('2.0');
    expect(single(calendar, 'METHOD').value).toBe('REQUEST');
    expect(single(event, 'UID').value).toBe('booking-b7c1d0e2-5f3a-4c1b-9a8e-2d4f6b8a0c11@confgate');
    expect(single(event, 'SEQUENCE').value).toBe('0');
    expect(single(event, 'DTSTART')).toEqual({
      name: 'DTSTART',
      params: { TZID: 'Europe/Paris' },
      value: '20261201T100000',
    });
    expect(single(event, 'DTEND')).toEqual({
      name: 'DTEND',
      params: { TZID: 'Europe/Paris' },
      value: '20261201T113000',
    });
    expect(single(event, 'DTSTAMP').value).toBe('20261129T100000Z');
    expect(single(event, 'SUMMARY').value).toBe('Réunion projet');
    expect(single(event, 'LOCATION').value).toBe('sip:5387@visio.example.org');
    expect(icsText(single(event, 'DESCRIPTION').value)).toBe(
      'Conference number: 5387 (end with #)\nAccess code: 8688 (end with #)',
    );
    expect(single(event, 'STATUS').value).toBe('CONFIRMED');
    expect(single(event, 'URL').value).toBe('https://visio.example.org/join/5387');
  });

  it('names the organiser and every recipient as attendee', () => {
    const { event } = ics(booking());
    const org = single(event, 'ORGANIZER');
    expect(org.params.CN).toBe('Alice Martin');
    expect(org.value.toLowerCase()).toBe('mailto:alice@example.org');
    const attendees = event.filter((p) => p.name === 'ATTENDEE');
    expect(attendees.map((a) => a.value.toLowerCase())).toEqual(['mailto:bob@example.org', 'mailto:carol@example.org']);
    for (const a of attendees) expect(a.params).toMatchObject({ ROLE: 'REQ-PARTICIPANT', PARTSTAT: 'NEEDS-ACTION' });
  });

  it('carries a VTIMEZONE for the TZID it uses (RFC 5545 §3.6.5)', () => {
    const { all } = ics(booking());
    const tz = componentProperties(all, 'VTIMEZONE');
    expect(single(tz, 'TZID').value).toBe('Europe/Paris');
    const standard = componentProperties(all, 'STANDARD');
    expect(single(standard, 'TZOFFSETTO').value).toBe('+0100');
  });

  it('keeps the UID across updates and shows the raised SEQUENCE', () => {
    const first = ics(booking());
    const changed = ics(
      booking({
        sequence: 3,
        start: '2026-12-02T14:00',
        startsAt: '2026-12-02T13:00:00.000Z',
        endsAt: '2026-12-02T15:00:00.000Z',
        duration: '02:00',
      }),
      'updated',
    );
    expect(single(changed.event, 'UID').value).toBe(single(first.event, 'UID').value);
    expect(single(changed.event, 'SEQUENCE').value).toBe('3');
    expect(single(changed.event, 'DTSTART').value).toBe('20261202T140000');
    expect(single(changed.event, 'DTEND').value).toBe('20261202T160000');
    expect(eventUid('other')).not.toBe(single(first.event, 'UID').value);
  });

  it('cancels with METHOD:CANCEL and STATUS:CANCELLED, same UID', () => {
    const { calendar, event } = ics(booking({ status: 'cancelled', sequence: 2 }), 'cancelled');
    expect(single(calendar, 'METHOD').value).toBe('CANCEL');
    expect(single(event, 'STATUS').value).toBe('CANCELLED');
    expect(single(event, 'SEQUENCE').value).toBe('2');
    expect(single(event, 'UID').value).toBe(eventUid(booking().id));
    expect(event.filter((p) => p.name === 'ATTENDEE')).toHaveLength(2);
  });

  it('shows the wall-clock end in the zone when the window crosses a DST change', () => {
    // New York leaves DST on 2027-11-07 at 02:00: 00:30 EDT (04:30Z) + 3 h = 02:30 EST (07:30Z).
    const b = booking({
      timeZone: 'America/New_York',
      start: '2027-11-07T00:30',
      startsAt: '2027-11-07T04:30:00.000Z',
      endsAt: '2027-11-07T07:30:00.000Z',
      duration: '03:00',
    });
    const { event } = ics(b);
    expect(single(event, 'DTSTART')).toMatchObject({ params: { TZID: 'America/New_York' }, value: '20271107T003000' });
    expect(single(event, 'DTEND').value).toBe('20271107T023000');
  });

  it('escapes user text so it cannot add properties', () => {
    const { event } = ics(booking({ title: 'A;B,C\\D' }));
    expect(icsText(single(event, 'SUMMARY').value)).toBe('A;B,C\\D');
    expect(event.filter((p) => p.name === 'SUMMARY')).toHaveLength(1);
  });
});
