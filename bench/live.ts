/**
 * Benchmark of the live event path on a real loopback redis-server: call events published by two
 * instances (two Redis clients, `live.publish`: metrics + live call registry + stream/pub-sub),
 * fanned out over SSE to V viewers of one HTTP instance; and the live view read
 * (`GET /api/live/conferences`) with many participants. Everything runs in this one process, so
 * the figures include the viewers' own parsing. `--write` replaces the `## Live events` section of
 * docs/benchmarks.md. Run with `npm run bench:live`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { connectRedis } from '../src/store/redis-connection';
import { startRedisServer } from '../test/support/redis-server';
import { ADMIN, admitThrough, bookNow, liveInstance, ringing } from '../test/live/live-world';
import { SseClient } from '../test/live/sse-client';

const EVENTS = 4000;
const IN_FLIGHT = 32;

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const fmt = (n: number): string => n.toFixed(2);

async function fanOut(viewers: number): Promise<string> {
  const redis = await startRedisServer();
  try {
    const [ra, rb] = [connectRedis(redis.url), connectRedis(redis.url)];
    const a = await liveInstance(ra);
    const b = await liveInstance(rb);
    const clients = Array.from({ length: viewers }, () => new SseClient(`${a.baseUrl}/api/events`, ADMIN));
    await Promise.all(clients.map((c) => c.opened));
    const publishMs: number[] = [];
    const t0 = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async (_, w) => {
        const from = w % 2 === 0 ? a : b;
        while (next < EVENTS) {
          next += 1;
          const e = ringing(w % 2 === 0 ? 'a' : 'b');
          const s = performance.now();
          await from.live.publish(e);
          publishMs.push(performance.now() - s);
        }
      }),
    );
    await Promise.all(clients.map((c) => c.until(() => c.events.length >= EVENTS, 60_000)));
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    // Each viewer must hold every event exactly once.
    const lost = clients.reduce(
      (n, c) => n + Math.abs(EVENTS - new Set(c.events.map((e) => e.id)).size) + (c.events.length - EVENTS),
      0,
    );
    await Promise.all(clients.map((c) => c.close()));
    await a.close();
    await b.close();
    await Promise.all([ra.quit(), rb.quit()]);
    return `| ${viewers} | ${EVENTS.toLocaleString('en')} | ${Math.round(EVENTS / seconds).toLocaleString('en')} | ${fmt(pct(publishMs, 50))} / ${fmt(pct(publishMs, 99))} | ${((cpu.user + cpu.system) / 1000 / EVENTS).toFixed(3)} | ${lost} |`;
  } finally {
    await redis.stop();
  }
}

async function liveView(conferences: number, perConference: number): Promise<string> {
  const redis = await startRedisServer();
  try {
    const ra = connectRedis(redis.url);
    const a = await liveInstance(ra);
    for (let k = 0; k < conferences; k++) {
      const booking = await bookNow(a, { estimatedConnections: 20 });
      for (let p = 0; p < perConference; p++)
        await admitThrough(a, booking, ringing('a', { source: `127.0.${k}.${p + 1}` }));
    }
    const ms: number[] = [];
    for (let r = 0; r < 200; r++) {
      const s = performance.now();
      const res = await a.call('GET', '/api/live/conferences', ADMIN);
      if ((res.json() as { conferences: unknown[] }).conferences.length !== conferences)
        throw new Error('live view incomplete');
      ms.push(performance.now() - s);
    }
    await a.close();
    await ra.quit();
    return `| ${conferences} × ${perConference} | ${fmt(pct(ms, 50))} / ${fmt(pct(ms, 99))} |`;
  } finally {
    await redis.stop();
  }
}

async function main(): Promise<void> {
  const rows = [await fanOut(1), await fanOut(10)];
  const view = [await liveView(20, 10)];
  const table = [
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, load average ${loadavg()[0]!.toFixed(2)} at start; redis-server on loopback; publisher instances, HTTP server and SSE viewers all in one Node process.`,
    `Events: ${EVENTS} \`ringing\` events through \`live.publish\` (metrics, live call registry MULTI, XADD+PUBLISH script), ${IN_FLIGHT} in flight over two instances.`,
    '',
    '| SSE viewers | events | events/s (published and delivered to every viewer) | publish p50 / p99 ms | process CPU ms/event | events lost or repeated |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    '`GET /api/live/conferences` (200 requests, one at a time):',
    '',
    '| conferences × participants | p50 / p99 ms |',
    '| --- | ---: |',
    ...view,
  ].join('\n');
  console.log(table);
  if (process.argv.includes('--write')) {
    const path = join(__dirname, '..', 'docs', 'benchmarks.md');
    const doc = readFileSync(path, 'utf8');
    const section = `## Live events\n\n\`npm run bench:live\` (\`bench/live.ts\`).\n\n${table}\n`;
    const start = doc.indexOf('\n## Live events\n');
    let next = start < 0 ? -1 : doc.indexOf('\n## ', start + 1);
    if (start >= 0 && next < 0) next = doc.length;
    writeFileSync(
      path,
      start < 0 ? `${doc.trimEnd()}\n\n${section}` : `${doc.slice(0, start + 1)}${section}${doc.slice(next)}`,
    );
  }
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
