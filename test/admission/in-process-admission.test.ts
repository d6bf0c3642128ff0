import { admissionSettings } from '../../src/admission/admission-settings';
import { ConferenceAdmission } from '../../src/admission/conference-admission';
import { InProcessAdmissionEngine } from '../../src/admission/in-process-admission-engine';
import { configSchema } from '../../src/config/config-schema';
import { createLogger } from '../../src/log/logger';
import type { BookingRepository } from '../../src/booking/booking-repository';
import { createMemoryStore } from '../../src/store/memory-store';
import { listedNumberSpace } from '../../src/store/number-space';

describe('in-process admission', () => {
  it('does not read the store for a caller already past the limit', async () => {
    const bookings = createMemoryStore(listedNumberSpace(['5387'])).bookings;
    const reads: string[] = [];
    const counted: BookingRepository = {
      create: (b, w) => bookings.create(b, w),
      update: (b, w) => bookings.update(b, w),
      get: (id) => bookings.get(id),
      listByOrganizer: (id, ends) => bookings.listByOrganizer(id, ends),
      listAll: (ends) => (reads.push('listAll'), bookings.listAll(ends)),
      findActiveByNumberAt: (n, at) => (reads.push('findActiveByNumberAt'), bookings.findActiveByNumberAt(n, at)),
    };
    const settings = admissionSettings(configSchema.parse({}));
    const admission = new ConferenceAdmission({
      engine: new InProcessAdmissionEngine(counted, settings),
      settings,
      log: createLogger('silent'),
    });
    const source = { address: '127.0.0.2', callId: 'sweep' };
    for (let i = 0; i < 5; i++) expect(await admission.lookup(`100${i}`, source)).toEqual({ kind: 'unknown' });
    expect(reads).toHaveLength(10); // no current booking, so the recent ones were listed too
    reads.length = 0;
    expect(await admission.lookup('1005', source)).toEqual({ kind: 'too-many-attempts' });
    expect(await admission.admit({ number: '1006', code: '1234', via: 'ivr', source })).toEqual({
      kind: 'too-many-attempts',
    });
    expect(reads).toEqual([]);
  });

  it('a failing alert listener does not change the verdict', async () => {
    const store = createMemoryStore(listedNumberSpace(['5387']));
    const settings = admissionSettings(configSchema.parse({}));
    const admission = new ConferenceAdmission({
      engine: new InProcessAdmissionEngine(store.bookings, settings),
      settings,
      log: createLogger('silent'),
      onAlert: () => {
        throw new Error('listener bug');
      },
    });
    const source = { address: '127.0.0.2', callId: 'sweep' };
    const verdicts = [];
    for (let i = 0; i < 6; i++) verdicts.push((await admission.lookup(`100${i}`, source)).kind);
    expect(verdicts).toEqual(['unknown', 'unknown', 'unknown', 'unknown', 'unknown', 'too-many-attempts']);
  });
});
