/**
 * Benchmark of admission on a real loopback redis-server and in process: latency of lookup,
 * admit and release one call at a time, admitted calls per second with many calls in flight over
 * two connections (two "instances"), and Redis round trips per admitted call (INFO commandstats).
 * Run with `npm run bench:admission`; `--write` replaces the `## Admission` section of
 * docs/benchmarks.md with the printed table.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { admissionSettings } from '../src/admission/admission-settings';
import { ConferenceAdmission } from '../src/admission/conference-admission';
import { InProcessAdmissionEngine } from '../src/admission/in-process-admission-engine';
import { RedisAdmissionEngine } from '../src/admission/redis-admission-engine';
import type { Booking } from '../src/booking/booking';
import { configSchema } from '../src/config/config-schema';
import { createLogger } from '../src/log/logger';
import { createMemoryStore } from '../src/store/memory-store';
import { listedNumberSpace } from '../src/store/number-space';
import { connectRedis } from '../src/store/redis-connection';
import { createRedisStore } from '../src/store/redis-store';
import type { Store } from '../src/store/store';
import { startRedisServer } from '../test/support/redis-server';

const NUMBER = '5387';
const CODE = '8688';
const settings = admissionSettings(configSchema.parse({}));
const log = createLogger('silent');

/** A booking open now whose cap (bypassing the 2–20 booking rule) never refuses: the bench measures the admitting path. */
async function bookOpenConference(store: Store): Promise<void> {
  const now = Date.now();
  const booking: Omit<Booking, 'number'> = {
    id: randomUUID(),
    organizerId: 'bench',
    title: 'Bench',
    accessCode: Number(CODE),
    start: '2026-12-01T10:00',
    timeZone: 'Europe/Paris',
    duration: '08:00',
    startsAt: new Date(now - 60_000).toISOString(),
    endsAt: new Date(now + 8 * 3_600_000).toISOString(),
    type: 'video',
    estimatedConnections: 1_000_000,
    comment: '',
    recipients: [],
    calendarInvite: false,
    language: 'en',
    status: 'active',
    sequence: 0,
    createdAt: new Date(now).toISOString(),
    updatedAt: new Date(now).toISOString(),
  };
  await store.bookings.create(booking, {
    start: now - 60_000 - settings.earlyJoinMs,
    end: now + 8 * 3_600_000 + settings.graceMs,
  });
}

let callNo = 0;
/** One IVR-path call: lookup, admit, release. Returns the three latencies (ms). */
async function ivrCall(admission: ConferenceAdmission): Promise<[number, number, number]> {
  callNo += 1;
  // Distinct loopback sources, although right codes are never counted as failures anyway.
  const source = { address: `127.0.${(callNo >> 8) & 255}.${callNo & 255}`, callId: `bench-${callNo}` };
  const t0 = performance.now();
  const known = await admission.lookup(NUMBER, source);
  const t1 = performance.now();
  const verdict = await admission.admit({ number: NUMBER, code: CODE, via: 'ivr', source });
  const t2 = performance.now();
  if (known.kind !== 'known' || verdict.kind !== 'admitted')
    throw new Error(`unexpected verdicts ${known.kind}/${verdict.kind}`);
  if (!(await admission.release(verdict.participant.participantId))) throw new Error('release did not free');
  const t3 = performance.now();
  return [t1 - t0, t2 - t1, t3 - t2];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const fmt = (ms: number): string => ms.toFixed(3);

interface Row {
  engine: string;
  lookup: [number, number];
  admit: [number, number];
  release: [number, number];
  callsPerSecond: number;
  cpuMsPerCall: number;
  roundTrips?: number;
}

async function measure(
  engine: string,
  instances: ConferenceAdmission[],
  commandCount?: () => Promise<number>,
): Promise<Row> {
  for (let i = 0; i < 500; i++) await ivrCall(instances[i % instances.length]!); // warm-up
  const samples: Array<[number, number, number]> = [];
  for (let i = 0; i < 3000; i++) samples.push(await ivrCall(instances[i % instances.length]!));
  const col = (k: 0 | 1 | 2): [number, number] => {
    const s = samples.map((x) => x[k]).sort((a, b) => a - b);
    return [percentile(s, 50), percentile(s, 99)];
  };
  const before = commandCount ? await commandCount() : 0;
  const total = 20_000;
  const inFlight = 64;
  let started = 0;
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async (_, lane) => {
      while (started < total) {
        started += 1;
        await ivrCall(instances[lane % instances.length]!);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(cpu);
  const after = commandCount ? await commandCount() : 0;
  return {
    engine,
    lookup: col(0),
    admit: col(1),
    release: col(2),
    callsPerSecond: total / seconds,
    cpuMsPerCall: (used.user + used.system) / 1000 / total,
    ...(commandCount ? { roundTrips: (after - before) / total } : {}),
  };
}

/** Top-level script calls executed by the server (commands run inside scripts are not EVAL/EVALSHA). */
async function scriptCalls(redis: Redis): Promise<number> {
  const info = await redis.info('commandstats');
  let n = 0;
  for (const m of info.matchAll(/^cmdstat_(eval|evalsha):calls=(\d+)/gm)) n += Number(m[2]);
  return n;
}

async function main(): Promise<void> {
  const rows: Row[] = [];

  const memory = createMemoryStore(listedNumberSpace([NUMBER]));
  await bookOpenConference(memory);
  const engine = new InProcessAdmissionEngine(memory.bookings, settings);
  rows.push(await measure('in process', [new ConferenceAdmission({ engine, settings, log, instanceId: 'bench' })]));

  const server = await startRedisServer();
  const clients = [connectRedis(server.url) as Redis, connectRedis(server.url) as Redis];
  const counter = connectRedis(server.url) as Redis;
  try {
    await bookOpenConference(createRedisStore(clients[0]!, listedNumberSpace([NUMBER])));
    const instances = clients.map(
      (c, i) =>
        new ConferenceAdmission({
          engine: new RedisAdmissionEngine(c, settings),
          settings,
          log,
          instanceId: `bench-${i}`,
        }),
    );
    rows.push(await measure('Redis (loopback, 2 connections)', instances, () => scriptCalls(counter)));
  } finally {
    await Promise.all([...clients, counter].map((c) => c.quit()));
    await server.stop();
  }

  const table = [
    `Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}, load ${loadavg()[0]!.toFixed(1)}.`,
    '',
    'IVR-path call = lookup + admit + release. Latencies one call at a time (3 000 calls after 500 warm-up);',
    'throughput with 64 calls in flight (20 000 calls; on Redis spread over two connections, as two instances).',
    'On a loaded machine the p99 is scheduling delay: the in-process row, which does no I/O, shows that floor.',
    '',
    '| engine | lookup p50 / p99 ms | admit p50 / p99 ms | release p50 / p99 ms | calls/s (64 in flight) | client CPU ms/call | Redis round trips/call (EVAL+EVALSHA) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.engine} | ${fmt(r.lookup[0])} / ${fmt(r.lookup[1])} | ${fmt(r.admit[0])} / ${fmt(r.admit[1])} | ${fmt(r.release[0])} / ${fmt(r.release[1])} | ${Math.round(r.callsPerSecond).toLocaleString('en')} | ${r.cpuMsPerCall.toFixed(3)} | ${r.roundTrips === undefined ? '–' : r.roundTrips.toFixed(2)} |`,
    ),
  ].join('\n');
  console.log(table);

  if (process.argv.includes('--write')) {
    const path = join(__dirname, '..', 'docs', 'benchmarks.md');
    const doc = readFileSync(path, 'utf8');
    const section = `## Admission\n\n\`npm run bench:admission\` (\`bench/admission.ts\`).\n\n${table}\n`;
    const start = doc.indexOf('\n## Admission\n');
    let next = start < 0 ? -1 : doc.indexOf('\n## ', start + 1);
    if (start >= 0 && next < 0) next = doc.length;
    const updated =
      start < 0 ? `${doc.trimEnd()}\n\n${section}` : `${doc.slice(0, start + 1)}${section}${doc.slice(next)}`;
    writeFileSync(path, updated);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
