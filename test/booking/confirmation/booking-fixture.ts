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
