import { createLogger } from '../../src/log/logger';
import { startDialIn, type DialIn } from '../../src/app/dial-in';
import { createMemoryStore } from '../../src/store/memory-store';
import { listedNumberSpace } from '../../src/store/number-space';
import type { Store } from '../../src/store/store';
import { runSipp } from '../support/sipp';
import { callerScenario } from './support/caller-scenario';
import { book, dialInConfig, eventually, startSippMcu, type SippMcu } from './support/dial-in-harness';

/** Without REDIS_URL: admission, placement and call records in process, as `npm start` runs by default. */
describe('dial-in without Redis', () => {
  let mcu: SippMcu;
  /** A second MCU, equally fit: a conference split over both would reach it. */
  let other: SippMcu;
  let store: Store;
  let dialIn: DialIn;

  beforeAll(async () => {
    mcu = await startSippMcu('127.0.0.95');
    other = await startSippMcu('127.0.0.101');
    store = createMemoryStore(listedNumberSpace(['5387']));
    const { redisUrl: _r, ...config } = dialInConfig('redis://unused', [mcu.template, other.template]);
    dialIn = await startDialIn({ config, store, log: createLogger('silent') });
  });
  afterAll(async () => {
    await dialIn?.stop();
    await mcu?.stop();
    await other?.stop();
  });

  it('5387*8688@ reaches the MCU; a second call of the conference goes to the same MCU; the cap holds', async () => {
    const booking = await book(store, { estimatedConnections: 2 });
    const remote = `127.0.0.1:${dialIn.srf.address('udp').port}`;
    const r = await runSipp({
      scenario: callerScenario({ user: '5387*8688', end: 'hang-up', holdMs: 1500, orRefused: 486 }),
      remote,
      localIp: '127.0.0.96',
      calls: 3,
      rate: 20,
      timeoutSec: 20,
    });
    expect(r).toMatchObject({ exitCode: 0, successful: 3 });
    expect(mcu.invites().map((i) => i.ruri)).toEqual([
      `sip:5387@${mcu.template.split('@')[1]}`,
      `sip:5387@${mcu.template.split('@')[1]}`,
    ]);
    expect(other.invites()).toEqual([]);
    await eventually(() => dialIn.legs.size === 0);
    expect(await dialIn.admission.liveParticipants(booking.id)).toEqual([]);
    expect((await dialIn.records.recent(3)).map((x) => x.verdict).sort()).toEqual(['admitted', 'admitted', 'full']);
  });
});
