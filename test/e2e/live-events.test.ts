import { start, type RunningConfgate } from '../../src/app/start';
import { parseCallEvent, type CallEvent } from '../../src/call-log/call-events';
import { redisKeys } from '../../src/store/redis-keys';
import type { LiveConference } from '../../src/live/live-state';
import { createLogger } from '../../src/log/logger';
import { connectRedis, type RedisClient } from '../../src/store/redis-connection';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { freeUdpTcpPort, runSipp } from '../support/sipp';
import { CALLER_USER_AGENT, callerScenario } from './support/caller-scenario';
import { book, dialInConfig, eventually, NUMBER, startSippMcu, type SippMcu } from './support/dial-in-harness';

const ADMIN = 'admin-token-for-live-events-e2e';

/**
 * The dial-in's call events through `src/main.ts`'s wiring (real Redis, HTTP API, SIPp caller and
 * MCU): a direct dial and an IVR call show on `/api/live/*` with their caller details, and leave
 * when they end; a refusal and an MCU going down reach the event stream and the metrics.
 */
describe('live call events from the dial-in (src/main.ts)', () => {
  let redis: RedisServer;
  let mcu: SippMcu | undefined;
  let running: RunningConfgate;
  let client: RedisClient;
  let base: string;
  let sip: string;

  beforeAll(async () => {
    redis = await startRedisServer();
    mcu = await startSippMcu('127.0.0.61');
    const port = await freeUdpTcpPort('127.0.0.1');
    const config = dialInConfig(
      redis.url,
      [mcu.template],
      { healthIntervalMs: 300, healthTimeoutMs: 200, downAfterFailures: 2 },
      { maxFailuresPerSource: 2 },
    );
    running = await start(
      {
        ...config,
        sip: { ...config.sip, port },
        http: { ...config.http, host: '127.0.0.1', port: 0 },
        adminToken: ADMIN,
      },
      createLogger('silent'),
    );
    const address = running.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    sip = `127.0.0.1:${port}`;
    client = connectRedis(redis.url);
    await book(running.store, { number: NUMBER, redis: client });
  }, 30_000);
  afterAll(async () => {
    await running?.stop();
    client?.disconnect();
    await mcu?.stop();
    await redis?.stop();
  });

  async function get<T>(path: string): Promise<T> {
    const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  }
  const conference = (): Promise<LiveConference> => get<LiveConference>(`/api/live/conferences/${NUMBER}`);
  async function events(): Promise<CallEvent[]> {
    const entries = await client.xrange(redisKeys.events(), '-', '+');
    return entries.map(([, fields]) => parseCallEvent(fields[1] ?? '')).filter((e): e is CallEvent => e !== undefined);
  }
  async function metric(line: string): Promise<number> {
    const text = await (await fetch(`${base}/metrics`)).text();
    const found = text.split('\n').find((l) => l.startsWith(`${line} `));
    return found ? Number(found.slice(line.length + 1)) : 0;
  }

  it('a direct dial appears with its caller details while connected, and disappears when it ends', async () => {
    const admissions = await metric('confgate_admissions_total');
    const setups = await metric('confgate_mcu_setup_seconds_count');
    const call = runSipp({
      scenario: callerScenario({ user: `${NUMBER}*8688`, end: 'hang-up', holdMs: 2500 }),
      remote: sip,
      localIp: '127.0.0.62',
      calls: 1,
      timeoutSec: 30,
    });
    await eventually(async () => (await conference()).participants.some((p) => p.mcu !== null), 10_000);
    const [p] = (await conference()).participants;
    expect(p).toMatchObject({
      displayName: 'Ada Lovelace',
      callingNumber: '0601020304',
      source: '127.0.0.62',
      transport: 'udp',
      dialled: 'direct',
      dtmf: 'none',
      userAgent: CALLER_USER_AGENT,
      mcu: 'mcu1',
    });
    expect(Date.parse(p!.joinedAt)).toBeGreaterThan(Date.now() - 30_000);
    expect(p!.connectedAt).not.toBeNull();
    expect(await metric('confgate_calls_connected')).toBe(1);
    expect(await metric('confgate_mcu_legs{mcu="mcu1"}')).toBe(1);
    expect(await call).toMatchObject({ exitCode: 0, successful: 1 });
    await eventually(async () => (await conference()).participants.length === 0);
    await eventually(async () =>
      (await events()).some((e) => e.kind === 'ended' && e.participantId === p!.participantId && e.reason === 'caller'),
    );
    expect(await metric('confgate_admissions_total')).toBe(admissions + 1);
    expect(await metric('confgate_mcu_setup_seconds_count')).toBe(setups + 1);
    expect(await metric('confgate_dtmf_entries_total{method="none"}')).toBeGreaterThanOrEqual(1);
    expect(await metric('confgate_calls_connected')).toBe(0);
  }, 40_000);

  it('an IVR call is listed in the IVR while keying, then as a participant with its DTMF method, then gone', async () => {
    const call = runSipp({
      scenario: callerScenario({
        user: 'conf',
        infoDigits: `${NUMBER}#8688#`,
        expectReinvite: true,
        end: 'hang-up',
        holdMs: 2500,
      }),
      remote: sip,
      localIp: '127.0.0.63',
      calls: 1,
      timeoutSec: 40,
    });
    type Calls = { ivr: Array<Record<string, unknown>>; participants: Array<Record<string, unknown>> };
    await eventually(async () => (await get<Calls>('/api/live/calls')).ivr.length === 1, 10_000);
    expect((await get<Calls>('/api/live/calls')).ivr[0]).toMatchObject({
      source: '127.0.0.63',
      transport: 'udp',
      dialled: 'ivr',
      displayName: 'Ada Lovelace',
      userAgent: CALLER_USER_AGENT,
    });
    await eventually(
      async () => (await get<Calls>('/api/live/calls')).participants.some((p) => p.mcu !== null),
      20_000,
    );
    const calls = await get<Calls>('/api/live/calls');
    expect(calls.ivr).toHaveLength(0);
    expect(calls.participants[0]).toMatchObject({
      source: '127.0.0.63',
      transport: 'udp',
      dialled: 'ivr',
      dtmf: 'info',
      displayName: 'Ada Lovelace',
      userAgent: CALLER_USER_AGENT,
      mcu: 'mcu1',
      number: NUMBER,
    });
    expect(await metric('confgate_dtmf_entries_total{method="info"}')).toBe(1);
    expect(await call).toMatchObject({ exitCode: 0, successful: 1 });
    await eventually(async () => (await get<Calls>('/api/live/calls')).participants.length === 0);
    // IVR time: from the INVITE to the admission, observed once for this call.
    expect(await metric('confgate_ivr_duration_seconds_count')).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('a refused call produces a refusal event with its reason and counts it', async () => {
    const r = await runSipp({
      scenario: callerScenario({ user: '9999*8688', end: 404 }),
      remote: sip,
      localIp: '127.0.0.64',
      calls: 1,
      timeoutSec: 20,
    });
    expect(r).toMatchObject({ exitCode: 0, successful: 1 });
    await eventually(async () =>
      (await events()).some(
        (e) => e.kind === 'refused' && e.reason === 'unknown' && e.number === '9999' && e.source === '127.0.0.64',
      ),
    );
    expect(await metric('confgate_refusals_total{reason="unknown"}')).toBe(1);
    expect((await get<{ ivr: unknown[] }>('/api/live/calls')).ivr).toHaveLength(0);
  }, 30_000);

  it("admission's brute-force alert reaches the event stream and the metrics", async () => {
    for (let i = 0; i < 2; i++) {
      const r = await runSipp({
        scenario: callerScenario({ user: '9998*8688', end: 404 }),
        remote: sip,
        localIp: '127.0.0.65',
        calls: 1,
        timeoutSec: 20,
      });
      expect(r).toMatchObject({ exitCode: 0, successful: 1 });
    }
    await eventually(async () =>
      (await events()).some(
        (e) => e.kind === 'alert' && e.scope === 'source' && e.subject === '127.0.0.65' && e.limit === 2,
      ),
    );
    expect(await metric('confgate_bruteforce_alerts_total{scope="source"}')).toBe(1);
  }, 30_000);

  it('an MCU that stops answering OPTIONS produces an mcu event; the board and the gauge say down', async () => {
    type Mcus = { mcus: Array<{ id: string; up: boolean | null }> };
    // Reported at start (main.ts), once the board listens.
    expect((await get<Mcus>('/api/live/mcus')).mcus).toEqual([expect.objectContaining({ id: 'mcu1', up: true })]);
    await mcu!.stop();
    mcu = undefined;
    await eventually(async () => (await events()).some((e) => e.kind === 'mcu' && e.mcu === 'mcu1' && !e.up), 10_000);
    await eventually(async () => (await get<Mcus>('/api/live/mcus')).mcus[0]!.up === false);
    expect(await metric('confgate_mcu_up{mcu="mcu1"}')).toBe(0);
  }, 30_000);
});
