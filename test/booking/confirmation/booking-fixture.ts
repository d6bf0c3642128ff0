import type { Booking, Organizer } from '../../../src/booking/booking';
import type { JoinSettings } from '../../../src/booking/join-info';

export const joinSettings: JoinSettings = {
  publicHost: 'visio.example.org',
  phoneNumber: '+33 1 23 45 67 89',
  desktopLinkTemplate: 'https://{host}/join/{number}',
};

export const organizer: Organizer = {
  id: 'org-1',
  name: 'Alice Martin',
  email: 'alice@example.org',
  tokenHash: 'f'.repeat(64),
  createdAt: '2026-11-01T08:00:00.000Z',
};

/** A booking on 1 December 2026, 10:00 in Paris (09:00 UTC), for 1 h 30. */
export function booking(overrides: Partial<Booking> = {}): Booking {
  return {
    id: 'b7c1d0e2-5f3a-4c1b-9a8e-2d4f6b8a0c11',
    number: '5387',
    organizerId: organizer.id,
    title: 'Réunion projet',
    accessCode: 8688,
    start: '2026-12-01T10:00',
    timeZone: 'Europe/Paris',
    duration: '01:30',
    startsAt: '2026-12-01T09:00:00.000Z',
    endsAt: '2026-12-01T10:30:00.000Z',
    type: 'video',
    estimatedConnections: 6,
    comment: 'Ordre du jour en pièce jointe.\nMerci d’être à l’heure.',
    recipients: ['bob@example.org', 'Carol@Example.org'],
    calendarInvite: true,
    language: 'en',
    status: 'active',
    sequence: 0,
    createdAt: '2026-11-29T10:00:00.000Z',
    updatedAt: '2026-11-29T10:00:00.000Z',
    ...overrides,
  };
}

/** The text lines of the English confirmation of `booking()` after the intro, in order. */
export const englishConfirmationLines = [
  'How to join',
  'From an individual terminal (desktop): https://visio.example.org/join/5387',
  'IP: visio.example.org',
  'Telephone: +33 1 23 45 67 89',
  'SIP URI: sip:5387@visio.example.org',
  'H.323 URI: h323:5387@visio.example.org',
  'Conference number: 5387 (end with #)',
  'Access code: 8688 (end with #)',
  'Conference',
  'Title: Réunion projet',
  'Start: 2026-12-01 10:00 Europe/Paris',
  'Duration: 01:30',
  'Estimated connections: 6',
  'Type: video',
  'Comment: Ordre du jour en pièce jointe.',
  '    Merci d’être à l’heure.',
];
