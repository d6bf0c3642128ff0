import { runSipp } from '../support/sipp';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { callerScenario } from './support/caller-scenario';
import { book, dialInConfig, eventually, startInstance, startSippMcu, type SippMcu } from './support/dial-in-harness';

/**
 * The IVR path end to end: the caller is answered by confgate's IVR, keys the digits by SIP INFO,
 * and is then moved to the MCU by the RFC 3725 hand-over (offerless INVITE to the MCU, re-INVITE
 * of the caller with the MCU's offer, ACK to the MCU with the caller's answer).
 */
describe('dial-in through the IVR', () => {
  let redis: RedisServer;
  let mcu: SippMcu;
  let instance: Awaited<ReturnType<typeof startInstance>>;
  let bookingId: string;

  beforeAll(async () => {
    redis = await startRedisServer();
    mcu = await startSippMcu('127.0.0.41', 'mcu-hangs-up');
    instance = await startInstance(dialInConfig(redis.url, [mcu.template]));
    bookingId = (await book(instance.store)).id;
  });
  afterAll(async () => {
    await instance?.stop();
    await mcu?.stop();
    await redis?.stop();
  });

  it.each([
    ['5387@ with the code by SIP INFO', '5387', '8688#', '127.0.0.42'],
    ['conf@ with number and code by SIP INFO', 'conf', '5387#8688#', '127.0.0.43'],
  ])('%s: re-INVITEd to the MCU, which hangs up; the IVR ports and the slot are freed', async (_what, user, digits, ip) => {
    const before = mcu.invites().length;
    const r = await runSipp({ scenario: callerScenario({ user, infoDigits: digits, expectReinvite: true, end: 'await-bye' }), remote: instance.remote, localIp: ip, calls: 1, timeoutSec: 40 });
    expect(r).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    const invites = mcu.invites().slice(before);
    expect(invites).toHaveLength(1);
    expect(invites[0]!.ruri).toBe(`sip:5387@${mcu.template.split('@')[1]}`);
    expect(invites[0]!.from).toBe('Ada Lovelace <sip:0601020304@127.0.0.1>');
    await eventually(() => instance.dialIn.legs.size === 0);
    await eventually(async () => (await instance.dialIn.admission.liveParticipants(bookingId)).length === 0);
    await eventually(() => instance.dialIn.srf.stats.dialogs === 0);
    const [record] = await instance.dialIn.records.recent(1);
    expect(record).toMatchObject({ dialled: user === 'conf' ? 'ivr' : 'code-only', number: '5387', dtmf: 'sip-info', verdict: 'admitted', mcu: 'mcu1', endedBy: 'mcu' });
  }, 60_000);

  it('a wrong code three times: goodbye and BYE, nothing reaches the MCU, the call record says wrong-code', async () => {
    const before = mcu.invites().length;
    const r = await runSipp({ scenario: callerScenario({ user: '5387', infoDigits: '1111#2222#3333#', end: 'await-bye' }), remote: instance.remote, localIp: '127.0.0.44', calls: 1, timeoutSec: 60 });
    expect(r).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    expect(mcu.invites()).toHaveLength(before);
    await eventually(() => instance.dialIn.srf.stats.dialogs === 0);
    const [record] = await instance.dialIn.records.recent(1);
    expect(record).toMatchObject({ dialled: 'code-only', number: '5387', verdict: 'wrong-code', endedBy: 'refused' });
  }, 80_000);
});
