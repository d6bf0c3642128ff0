import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { LiveMetrics } from '../../src/live/live-metrics';
import type { AdminCommand } from '../../src/live/admin-commands';
import { alertEvent } from '../../src/call-log/alert-event';
import { redisChannels, redisKeys } from '../../src/store/redis-keys';
import { compareStreamIds } from '../../src/live/stream-id';
import { createLogger } from '../../src/log/logger';
import { RedisCallRecordSink } from '../../src/call-log/call-record';
import { useRedisServer } from '../support/redis-fixture';
import { ADMIN, admitThrough, bookNow, liveInstance, METRICS_TOKEN, ringing, type LiveInstance } from './live-world';
import { SseClient } from './sse-client';

const redis = useRedisServer();
const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

async function instance(settings: Parameters<typeof liveInstance>[1] = {}): Promise<LiveInstance> {
  const i = await liveInstance(redis.client(), settings);
  open.push(i);
  return i;
}

async function fresh(settings: Parameters<typeof liveInstance>[1] = {}): Promise<LiveInstance> {
  await redis.client().flushall();
  return instance(settings);
}

function sse(i: LiveInstance, lastEventId?: string): SseClient {
  const c = new SseClient(`${i.baseUrl}/api/events`, ADMIN, lastEventId);
  open.push(c);
  return c;
}

const ids = (c: SseClient): string[] => c.events.map((e) => JSON.parse(e.data).callId);

describe('event stream (SSE)', () => {
  it('resumes after a dropped connection with Last-Event-ID: nothing lost, nothing repeated, even while events keep coming', async () => {
    const a = await fresh();
    const b = await instance();
    const first = sse(a);
    await first.opened;
    const published: string[] = [];
    const pub = async (n: number): Promise<void> => {
      for (let k = 0; k < n; k++) {
        const e = ringing('instance-b');
        published.push(e.callId);
        await b.live.publish(e);
      }
    };
    await pub(5);
    await first.until(() => first.events.length === 5);
    const lastId = first.events.at(-1)!.id!;
    await first.close();
    // While disconnected, and during the reconnection itself, the other instance goes on publishing.
    await pub(20);
    const racing = pub(50);
    const second = sse(a, lastId);
    await racing;
    await pub(5);
    await second.until(() => second.events.length === 75);
    const received = [...ids(first), ...ids(second)];
    expect(received).toEqual(published);
    const streamIds = [...first.events, ...second.events].map((e) => e.id!);
    for (let k = 1; k < streamIds.length; k++)
      expect(compareStreamIds(streamIds[k]!, streamIds[k - 1]!)).toBeGreaterThan(0);
    expect(second.events.every((e) => e.event === 'ringing')).toBe(true);
  });

  it('two instances (two Redis clients) publish into one viewer, in stream order; heartbeats keep it open', async () => {
    const a = await fresh();
    const b = await instance();
    const viewer = sse(a);
    await viewer.opened;
    const sent: string[] = [];
    for (let k = 0; k < 10; k++) {
      const from = k % 2 === 0 ? a : b;
      const e = ringing(k % 2 === 0 ? 'instance-a' : 'instance-b');
      sent.push(e.callId);
      await from.live.publish(e);
    }
    await viewer.until(() => viewer.events.length === 10);
    expect(ids(viewer)).toEqual(sent);
    expect(new Set(viewer.events.map((e) => JSON.parse(e.data).instanceId))).toEqual(
      new Set(['instance-a', 'instance-b']),
    );
    await viewer.until(() => viewer.comments.includes('heartbeat'), 3000);
  });

  it('a dropped pub/sub connection loses nothing: after reconnecting, the bus reads what it missed from the stream', async () => {
    const a = await fresh();
    const b = await instance();
    const viewer = sse(a);
    await viewer.opened;
    const sent: string[] = [];
    const pub = async (n: number): Promise<void> => {
      for (let k = 0; k < n; k++) {
        const e = ringing('instance-b');
        sent.push(e.callId);
        await b.live.publish(e);
      }
    };
    await pub(3);
    await viewer.until(() => viewer.events.length === 3);
    // Redis drops every subscriber connection (as on a failover or a network cut); B keeps publishing meanwhile.
    expect(await redis.client().call('CLIENT', 'KILL', 'TYPE', 'pubsub')).toBeGreaterThan(0);
    await pub(30);
    await viewer.until(() => viewer.events.length === 33);
    await pub(3);
    await viewer.until(() => viewer.events.length === 36);
    expect(ids(viewer)).toEqual(sent);
    expect(a.logLines.some((l) => l.includes('missed events read from the stream'))).toBe(true);
  });

  it('refuses a bad Last-Event-ID (400), no token (401), an organiser (403); ignores garbage on the channel', async () => {
    const a = await fresh();
    expect((await a.call('GET', '/api/events', ADMIN, undefined, { 'last-event-id': 'zzz' })).status).toBe(400);
    expect((await a.call('GET', '/api/events')).status).toBe(401);
    const org = await a.call('POST', '/api/organizers', ADMIN, { name: 'Bob', email: 'bob@example.org' });
    expect((await a.call('GET', '/api/live/conferences', org.json().token)).status).toBe(403);
    const viewer = sse(a);
    await viewer.opened;
    await redis.client().publish(redisChannels.events, 'not an event');
    await redis.client().publish(redisChannels.events, '1-1 {"kind":"ringing"}');
    const e = ringing('x');
    await a.live.publish(e);
    await viewer.until(() => viewer.events.length === 1);
    expect(ids(viewer)).toEqual([e.callId]);
    expect(a.logLines.some((l) => l.includes('invalid call event'))).toBe(true);
  });
});

describe('live state', () => {
  it("names each caller's signalling: an H.323 participant and IVR call are h323, a SIP one sip (also from a ringing event of an earlier version, without the field)", async () => {
    const a = await fresh();
    const booking = await bookNow(a);
    const h323 = await admitThrough(a, booking, ringing('instance-a', { protocol: 'h323', transport: 'tcp' }));
    const { protocol: _p, ...older } = ringing('instance-a');
    const sip = await admitThrough(a, booking, older);
    const inIvr = ringing('instance-a', { protocol: 'h323', transport: 'tcp', displayName: 'Room 12' });
    await a.live.publish(inIvr);

    const conf = (await a.call('GET', `/api/live/conferences/${booking.number}`, ADMIN)).json();
    const byId = new Map(conf.participants.map((p: any) => [p.participantId, p.protocol]));
    expect(byId).toEqual(
      new Map([
        [h323, 'h323'],
        [sip, 'sip'],
      ]),
    );
    const calls = (await a.call('GET', '/api/live/calls', ADMIN)).json();
    expect(calls.ivr).toEqual([expect.objectContaining({ callId: inIvr.callId, protocol: 'h323', transport: 'tcp' })]);
  });

  it('shows participants admitted through the real admission with their details, and calls still in the IVR; a new instance shows the same', async () => {
    const a = await fresh();
    const booking = await bookNow(a);
    const pid = await admitThrough(a, booking, ringing('instance-a'));
    const inIvr = ringing('instance-a', {
      transport: 'udp',
      dialled: 'ivr',
      displayName: 'Poste 12',
      userAgent: 'Polycom/6.0',
    });
    await a.live.publish(inIvr);

    const list = await a.call('GET', '/api/live/conferences', ADMIN);
    expect(list.status).toBe(200);
    const conf = list.json().conferences.find((c: any) => c.number === booking.number);
    expect(conf).toMatchObject({
      bookingId: booking.id,
      title: 'Revue de projet',
      cap: 3,
      participantsCount: 1,
      locked: false,
      mcu: 'mcu1',
    });
    expect(conf.participants[0]).toMatchObject({
      participantId: pid,
      displayName: 'Salle Turing',
      callingNumber: '1001',
      source: '127.0.0.2',
      transport: 'tls',
      dialled: 'ivr',
      dtmf: 'rfc4733',
      userAgent: 'Cisco-CP-Room Kit/ce11',
      mcu: 'mcu1',
    });
    expect(Date.parse(conf.participants[0].joinedAt)).toBeLessThanOrEqual(Date.now());

    const calls = (await a.call('GET', '/api/live/calls', ADMIN)).json();
    expect(calls.ivr).toEqual([
      expect.objectContaining({
        callId: inIvr.callId,
        transport: 'udp',
        displayName: 'Poste 12',
        userAgent: 'Polycom/6.0',
      }),
    ]);
    expect(calls.participants.map((p: any) => p.participantId)).toEqual([pid]);

    // A viewer or instance started now reads the same truth from the store.
    const restarted = await instance();
    expect((await restarted.call('GET', `/api/live/conferences/${booking.number}`, ADMIN)).json()).toMatchObject({
      participantsCount: 1,
      participants: [{ participantId: pid }],
    });
    expect((await restarted.call('GET', '/api/live/conferences/0000', ADMIN)).status).toBe(404);
    expect((await restarted.call('GET', '/api/live/conferences/12ab', ADMIN)).status).toBe(400);

    // The call ends: it leaves the view (admission released it, the detail is forgotten).
    await a.live.admission.release(pid);
    await a.live.publish({
      kind: 'ended',
      at: Date.now(),
      callId: 'x',
      instanceId: 'instance-a',
      reason: 'caller',
      participantId: pid,
      bookingId: booking.id,
    });
    expect((await a.call('GET', `/api/live/conferences/${booking.number}`, ADMIN)).json().participantsCount).toBe(0);
    expect(await redis.client().exists(`{confgate}:participant-detail:${pid}`)).toBe(0);
  });
});

describe('admin actions', () => {
  it('lock/unlock through admission, extend within 08:00 through the booking service; every action audited with who and from where', async () => {
    const a = await fresh();
    const booking = await bookNow(a);
    const viewer = sse(a);
    await viewer.opened;
    expect((await a.call('POST', `/api/live/conferences/${booking.number}/lock`, ADMIN)).json()).toEqual({
      number: booking.number,
      locked: true,
    });
    const refused = await a.live.admission.admit({
      number: booking.number,
      code: String(booking.accessCode),
      via: 'ivr',
      source: { address: '127.0.0.3', callId: 'locked-1' },
    });
    expect(refused.kind).toBe('locked');
    expect((await a.call('GET', `/api/live/conferences/${booking.number}`, ADMIN)).json().locked).toBe(true);
    await a.call('POST', `/api/live/conferences/${booking.number}/unlock`, ADMIN);
    expect((await a.call('GET', `/api/live/conferences/${booking.number}`, ADMIN)).json().locked).toBe(false);

    const ext = await a.call('POST', `/api/live/conferences/${booking.number}/extend`, ADMIN, { minutes: 30 });
    expect(ext.status).toBe(200);
    expect(ext.json()).toMatchObject({ number: booking.number, duration: '01:30', renumbered: false });
    const tooLong = await a.call('POST', `/api/live/conferences/${booking.number}/extend`, ADMIN, { minutes: 420 });
    expect(tooLong.status).toBe(400);
    expect(tooLong.json().errors).toEqual([expect.objectContaining({ field: 'minutes', code: 'out_of_range' })]);
    expect(
      (await a.call('POST', `/api/live/conferences/${booking.number}/extend`, ADMIN, { minutes: 'ten' })).status,
    ).toBe(400);
    expect(
      (await a.call('POST', `/api/live/conferences/${booking.number}/extend`, ADMIN, { minutes: 5, extra: 1 })).status,
    ).toBe(400);

    const audit = (await a.call('GET', '/api/live/audit', ADMIN)).json().actions;
    expect(audit.map((x: any) => [x.action, x.by, x.number])).toEqual([
      ['extend', 'admin', booking.number],
      ['unlock', 'admin', booking.number],
      ['lock', 'admin', booking.number],
    ]);
    expect(audit[0]).toMatchObject({ address: '127.0.0.1', detail: '01:30', bookingId: booking.id });
    expect(await redis.client().xlen(redisKeys.audit())).toBe(3);
    await viewer.until(() => viewer.events.filter((e) => e.event === 'conference').length === 3);
    expect(viewer.events.map((e) => JSON.parse(e.data).action)).toEqual(['lock', 'unlock', 'extend']);
  });

  it('kick and end are published on confgate:commands and reach a subscriber on another Redis client; slots are freed', async () => {
    const a = await fresh();
    const b = await instance();
    const booking = await bookNow(a);
    const received: string[] = [];
    const handled: string[] = [];
    const stop = await b.live.commands.listen({
      kick: (id) => {
        handled.push(`kick ${id}`);
        return true;
      },
      end: (id) => {
        handled.push(`end ${id}`);
        return 2;
      },
    });
    open.push({ close: stop });
    // A raw subscriber sees exactly what goes over the wire.
    const raw = new Redis(redis.server().url);
    open.push({ close: async () => void (await raw.quit()) });
    raw.on('message', (_c: string, m: string) => received.push(m));
    await raw.subscribe('confgate:commands');

    const p1 = await admitThrough(b, booking, ringing('instance-b'));
    const p2 = await admitThrough(b, booking, ringing('instance-b'));
    const viewer = sse(a);
    await viewer.opened;
    const kick = await a.call('POST', `/api/live/conferences/${booking.number}/participants/${p1}/kick`, ADMIN);
    expect(kick.status).toBe(200);
    expect(kick.json()).toEqual({ kicked: p1, instancesNotified: 2 });
    await viewer.until(() => viewer.events.some((e) => e.event === 'kicked'));
    expect(handled).toEqual([`kick ${p1}`]);
    expect(JSON.parse(received[0]!) as AdminCommand).toMatchObject({ kind: 'kick', participantId: p1, by: 'admin' });
    expect(
      (await a.call('GET', `/api/live/conferences/${booking.number}`, ADMIN))
        .json()
        .participants.map((p: any) => p.participantId),
    ).toEqual([p2]);
    expect(
      (await a.call('POST', `/api/live/conferences/${booking.number}/participants/${p1}/kick`, ADMIN)).status,
    ).toBe(404);

    expect((await a.call('POST', `/api/live/conferences/${booking.number}/end`, ADMIN)).json()).toMatchObject({
      ended: 1,
      instancesNotified: 2,
    });
    await viewer.until(() => viewer.events.some((e) => e.event === 'conference'));
    expect(handled).toEqual([`kick ${p1}`, `end ${booking.id}`]);
    expect((await a.call('GET', `/api/live/conferences/${booking.number}`, ADMIN)).json().participantsCount).toBe(0);
    expect((await a.call('GET', '/api/live/audit', ADMIN)).json().actions.map((x: any) => x.action)).toEqual([
      'end',
      'kick',
    ]);
    // A malformed command on the channel is ignored by the listener.
    await redis.client().publish('confgate:commands', '{"kind":"kick"}');
    await redis.client().publish('confgate:commands', 'garbage');
    await a.call('POST', `/api/live/conferences/${booking.number}/lock`, ADMIN);
    expect(handled).toHaveLength(2);
  });
});

describe('metrics', () => {
  const value = (text: string, series: string): number => {
    const line = text.split('\n').find((l) => l.startsWith(series + ' '));
    return line ? Number(line.slice(series.length + 1)) : 0;
  };

  it('values change as calls happen: IVR and connected gauges, admissions, refusals by reason, DTMF, IVR duration, MCU legs, Redis latency, SIP counts', async () => {
    const a = await fresh();
    const booking = await bookNow(a);
    const before = (await a.call('GET', '/metrics')).text;
    expect(value(before, 'confgate_admissions_total')).toBe(0);
    expect(value(before, 'confgate_mcu_up{mcu="mcu1"}')).toBe(1);

    const waiting = ringing('i');
    await a.live.publish(waiting);
    let m = (await a.call('GET', '/metrics')).text;
    expect(value(m, 'confgate_calls_in_ivr')).toBe(1);

    const pid = await admitThrough(a, booking, ringing('i'));
    await a.live.publish({
      kind: 'refused',
      at: Date.now(),
      callId: waiting.callId,
      instanceId: 'i',
      reason: 'wrong-code',
    });
    a.live.metrics.countSipRequest('INVITE');
    a.live.metrics.countSipRequest('FOO');
    a.live.metrics.countSipResponse('INVITE', 200);
    a.live.metrics.countSipInviteLimited(false);
    a.live.metrics.countSipInviteLimited(false);
    a.live.metrics.countSipInviteLimited(true);
    for (const [kind, scope, subject] of [
      ['too-many-attempts', 'source', '127.0.0.9'],
      ['attack-budget-spent', 'conference', booking.number],
    ] as const)
      a.live.events.publish(
        alertEvent({
          kind,
          scope,
          subject,
          number: booking.number,
          count: 5,
          limit: 5,
          windowMs: 1,
          at: Date.now(),
          callId: 'c',
          instanceId: 'i',
        }),
      );
    m = (await a.call('GET', '/metrics')).text;
    expect(value(m, 'confgate_calls_in_ivr')).toBe(0);
    expect(value(m, 'confgate_calls_connected')).toBe(1);
    expect(value(m, 'confgate_admissions_total')).toBe(1);
    expect(value(m, 'confgate_refusals_total{reason="wrong-code"}')).toBe(1);
    expect(value(m, 'confgate_dtmf_entries_total{method="rfc4733"}')).toBe(1);
    expect(value(m, 'confgate_ivr_duration_seconds_count')).toBe(2);
    expect(value(m, 'confgate_mcu_legs{mcu="mcu1"}')).toBe(1);
    expect(value(m, 'confgate_sip_requests_total{method="INVITE"}')).toBe(1);
    expect(value(m, 'confgate_sip_requests_total{method="other"}')).toBe(1);
    expect(value(m, 'confgate_sip_responses_total{method="INVITE",status="200"}')).toBe(1);
    expect(value(m, 'confgate_sip_invites_limited_total{source="other"}')).toBe(2);
    expect(value(m, 'confgate_sip_invites_limited_total{source="trusted"}')).toBe(1);
    expect(value(m, 'confgate_bruteforce_alerts_total{scope="source"}')).toBe(1);
    expect(value(m, 'confgate_bruteforce_alerts_total{scope="conference"}')).toBe(1);
    expect(
      value(m, 'confgate_redis_command_seconds_count{command="evalsha"}') +
        value(m, 'confgate_redis_command_seconds_count{command="eval"}'),
    ).toBeGreaterThan(0);

    await a.live.publish({
      kind: 'ended',
      at: Date.now(),
      callId: 'c',
      instanceId: 'i',
      reason: 'caller',
      participantId: pid,
      bookingId: booking.id,
    });
    m = (await a.call('GET', '/metrics')).text;
    expect(value(m, 'confgate_calls_connected')).toBe(0);
    expect(value(m, 'confgate_mcu_legs{mcu="mcu1"}')).toBe(0);
  });

  it('/metrics wants the bearer token when CONFGATE_METRICS_TOKEN is set; the event loop lag is exported', async () => {
    await redis.client().flushall();
    const i = await instance({ metricsToken: METRICS_TOKEN });
    expect((await i.call('GET', '/metrics')).status).toBe(401);
    expect((await i.call('GET', '/metrics', 'wrong-token-wrong-token')).status).toBe(401);
    const ok = await i.call('GET', '/metrics', METRICS_TOKEN);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toContain('text/plain');
    expect(ok.text).toContain('confgate_calls_in_ivr');
    // The live instance is built with defaultMetrics: false (many per process); a default one carries the lag.
    const full = new LiveMetrics();
    expect(await full.metrics()).toContain('nodejs_eventloop_lag_seconds');
  });
});

describe('call records', () => {
  it('GET /api/calls reads ROUTING’s stream by time range, as JSON and as CSV (Accept or format=csv)', async () => {
    const a = await fresh();
    const sink = new RedisCallRecordSink(
      redis.client(),
      1000,
      createLogger('silent', new Writable({ write: (_c, _e, d) => d() })),
    );
    const t0 = Date.now();
    sink.write({
      callId: 'r1@127.0.0.1',
      startedAt: t0 - 5000,
      source: '127.0.0.2',
      dialled: 'direct',
      number: '1234',
      verdict: 'admitted',
      mcu: 'mcu1',
      durationMs: 5000,
      endedBy: 'caller',
    });
    sink.write({
      callId: 'r2@127.0.0.1',
      startedAt: t0 - 3000,
      source: '127.0.0.3',
      dialled: 'ivr',
      dtmf: 'info',
      verdict: 'wrong-code',
      durationMs: 3000,
      endedBy: 'refused',
      sipStatus: 403,
      callingNumber: '=cmd',
    });
    await sink.recent(1);
    const json = await a.call('GET', `/api/calls?from=${t0 - 60000}&to=${Date.now() + 1000}`, ADMIN);
    expect(json.status).toBe(200);
    expect(json.json().calls.map((c: any) => [c.callId, c.verdict, c.durationMs])).toEqual([
      ['r1@127.0.0.1', 'admitted', 5000],
      ['r2@127.0.0.1', 'wrong-code', 3000],
    ]);
    const csv = await a.call('GET', '/api/calls', ADMIN, undefined, { accept: 'text/csv' });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'callId,startedAt,source,callingNumber,dialled,dtmf,number,verdict,mcu,participantId,setupMs,connectedMs,durationMs,endedBy,sipStatus,startedAtIso',
    );
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain(",'=cmd,");
    expect((await a.call('GET', '/api/calls?format=csv', ADMIN)).text).toBe(csv.text);
    expect((await a.call('GET', `/api/calls?from=${Date.now() + 60000}&to=${t0}`, ADMIN)).status).toBe(400);
    expect((await a.call('GET', '/api/calls?from=yesterday', ADMIN)).status).toBe(400);
    expect((await a.call('GET', `/api/calls?from=${Date.now() + 60000}`, ADMIN)).status).toBe(400);
  });
});
