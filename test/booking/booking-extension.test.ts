import { BookingError } from '../../src/booking/booking-error';
import { BookingService } from '../../src/booking/booking-service';
import { createLogger } from '../../src/log/logger';
import { createMemoryStore } from '../../src/store/memory-store';
import { listedNumberSpace } from '../../src/store/number-space';
import { RecordingNotifier } from './recording-notifier';

/**
 * Extending a conference in progress (the admin's `extend`): the booking rules' duration limit, and
 * the number kept. One number in the space, so a later booking holds the same number.
 */
const now = new Date('2026-12-01T10:05:00Z');
const admin = { kind: 'admin' } as const;

async function world() {
  const store = createMemoryStore(listedNumberSpace(['5387']));
  await store.organizers.create({
    id: 'org',
    name: 'Alice',
    email: 'alice@example.org',
    tokenHash: 'h',
    createdAt: now.toISOString(),
  });
  const service = new BookingService({
    store,
    notifier: new RecordingNotifier(),
    log: createLogger('silent'),
    settings: { earlyJoinMinutes: 10, graceMinutes: 10, maxMonthsAhead: 3, defaultLanguage: 'en' },
    now: () => now,
  });
  const book = (start: string, duration: string) =>
    service.create(
      admin,
      { title: 'Revue', start, timeZone: 'UTC', duration, estimatedConnections: 3, acceptTerms: true },
      'en',
      'org',
    );
  return { service, book };
}

async function refusal(p: Promise<unknown>): Promise<BookingError> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(BookingError);
  return e as BookingError;
}

it('answers the longer duration while the number stays free', async () => {
  const { service, book } = await world();
  const running = await book('2026-12-01T10:05', '01:00');
  expect(await service.checkExtension(admin, running.id, 30, 'en')).toBe('01:30');
});

it('refuses past 08:00 with the booking rules, reported on minutes', async () => {
  const { service, book } = await world();
  const running = await book('2026-12-01T10:05', '01:00');
  const e = await refusal(service.checkExtension(admin, running.id, 421, 'en'));
  expect(e.kind).toBe('invalid');
  expect(e.fieldErrors).toEqual([expect.objectContaining({ field: 'minutes', code: 'out_of_range' })]);
  expect(await service.checkExtension(admin, running.id, 420, 'en')).toBe('08:00');
});

it("refuses when the number's next booking starts within the longer window (margins included)", async () => {
  const { service, book } = await world();
  const running = await book('2026-12-01T10:05', '01:00');
  // Ends 11:05 + 10 min grace; the next one's window opens at 12:00 - 10 min early join. Windows that
  // touch overlap (as in the store's allocation), so 34 more minutes fit and 35 do not.
  const next = await book('2026-12-01T12:00', '01:00');
  expect(next.number).toBe(running.number);
  expect(await service.checkExtension(admin, running.id, 34, 'en')).toBe('01:34');
  const e = await refusal(service.checkExtension(admin, running.id, 35, 'en'));
  expect(e.kind).toBe('number_taken');
  expect(e.message).toContain('2026-12-01T12:00:00.000Z');
});
