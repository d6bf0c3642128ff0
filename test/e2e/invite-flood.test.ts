import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { redisKeys } from '../../src/store/redis-keys';
import { listedNumberSpace } from '../../src/store/number-space';
import { connectRedis } from '../../src/store/redis-connection';
import { createRedisStore } from '../../src/store/redis-store';
import { runSipp } from '../support/sipp';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { callerScenario } from './support/caller-scenario';
import {
  book,
  dialInConfig,
  startChildInstance,
  startSippMcu,
  type ChildInstance,
  type SippMcu,
} from './support/dial-in-harness';

const FLOOD_RATE = 2000;
const FLOOD_SECONDS = 5;

/** Resident memory of a process, in MiB (Linux `/proc`). */
function rssMiB(pid: number): number {
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kib) / 1024;
}

/** OPTIONS every `intervalMs` from its own loopback address; records how long each 200 took. */
class OptionsPinger {
  private readonly sentAt = new Map<string, number>();
  readonly answeredMs: number[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly target: { host: string; port: number },
  ) {
    socket.on('message', (m) => {
      const text = m.toString('utf8');
      const callId = /\r\nCall-ID: (\S+)\r\n/i.exec(text)?.[1];
      const at = callId === undefined ? undefined : this.sentAt.get(callId);
      if (at !== undefined && text.startsWith('SIP/2.0 200')) {
        this.sentAt.delete(callId!);
        this.answeredMs.push(Date.now() - at);
      }
    });
  }

  static async start(ip: string, remote: string, intervalMs: number): Promise<OptionsPinger> {
    const socket = createSocket('udp4');
    await new Promise<void>((r) => socket.bind(0, ip, () => r()));
    const [host, port] = remote.split(':');
    const pinger = new OptionsPinger(socket, { host: host!, port: Number(port) });
    pinger.timer = setInterval(() => pinger.ping(ip), intervalMs);
    return pinger;
  }

  get sent(): number {
    return this.seq;
  }

  /** Stops sending, waits `graceMs` for late answers, closes; returns the OPTIONS never answered 200. */
  async stop(graceMs: number): Promise<number> {
    clearInterval(this.timer);
    await new Promise((r) => setTimeout(r, graceMs));
    this.socket.close();
    return this.sentAt.size;
  }

  private ping(ip: string): void {
    const n = ++this.seq;
    const callId = `flood-ping-${n}@${ip}`;
    const { port } = this.socket.address();
    const text = [
      `OPTIONS sip:confgate@${this.target.host}:${this.target.port} SIP/2.0`,
      `Via: SIP/2.0/UDP ${ip}:${port};branch=z9hG4bK-ping-${n};rport`,
      'Max-Forwards: 70',
      `From: <sip:monitor@${ip}>;tag=ping${n}`,
      `To: <sip:confgate@${this.target.host}>`,
      `Call-ID: ${callId}`,
      `CSeq: ${n} OPTIONS`,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    this.sentAt.set(callId, Date.now());
    this.socket.send(text, this.target.port, this.target.host);
  }
}

/** The flood: one address at 2,000 INVITE/s with a wrong code, another caller with the right one. */
describe('dial-in: an INVITE flood from one address', () => {
  let redis: RedisServer;
  let client: Redis;
  let mcu: SippMcu;
  let instance: ChildInstance | undefined;

  beforeAll(async () => {
    redis = await startRedisServer();
    client = connectRedis(redis.url) as Redis;
    mcu = await startSippMcu('127.0.0.61');
  });
  afterAll(async () => {
    await instance?.stop();
    await mcu?.stop();
    await client?.quit();
    await redis?.stop();
  });

  it('2,000 INVITE/s for 5 s from 127.0.0.2: a caller from 127.0.0.3 is admitted during it, OPTIONS are answered throughout, memory stays bounded', async () => {
    const config = dialInConfig(redis.url, [mcu.template]);
    instance = await startChildInstance(config);
    const pid = instance.process.pid!;
    await book(createRedisStore(client, listedNumberSpace(['5387'])));
    const rssBefore = rssMiB(pid);
    const pinger = await OptionsPinger.start('127.0.0.4', instance.remote, 100);
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMiB(pid))), 250);

    const started = Date.now();
    const flood = runSipp({
      // Every INVITE is refused: 403 by admission (the wrong code, then the source's lock-out) or 503 by the rate limit.
      scenario: callerScenario({ user: '5387*0000', end: 503, orRefused: 403, refusalHeader: 'Retry-After: *5' }),
      remote: instance.remote,
      localIp: '127.0.0.2',
      calls: FLOOD_RATE * FLOOD_SECONDS,
      rate: FLOOD_RATE,
      timeoutSec: 30,
    });
    await new Promise((r) => setTimeout(r, 1500));
    const caller = await runSipp({
      scenario: callerScenario({ user: '5387*8688', end: 'hang-up', holdMs: 1000 }),
      remote: instance.remote,
      localIp: '127.0.0.3',
      calls: 1,
      timeoutSec: 15,
    });
    const callerDoneMs = Date.now() - started;
    const flooded = await flood;
    const floodMs = Date.now() - started;
    clearInterval(sampler);
    const unanswered = await pinger.stop(1000);
    const rssAfter = rssMiB(pid);

    const records = await client.xrange(redisKeys.callRecords(), '-', '+');
    const verdicts = records.map(([, f]) => f[f.indexOf('verdict') + 1]!);
    const sorted = [...pinger.answeredMs].sort((a, b) => a - b);
    process.stdout.write(
      `invite flood: ${flooded.successful + flooded.failed} INVITEs in ${floodMs} ms (${flooded.successful} refused as expected, ${flooded.failed} failed, ${flooded.retransmissions} retransmissions); ` +
        `legitimate caller done at ${callerDoneMs} ms; ${verdicts.length} calls reached admission; ` +
        `OPTIONS ${pinger.answeredMs.length}/${pinger.sent} answered, p50 ${sorted[sorted.length >> 1]} ms, max ${sorted[sorted.length - 1]} ms; ` +
        `RSS ${rssBefore.toFixed(1)} MiB before, ${rssPeak.toFixed(1)} peak, ${rssAfter.toFixed(1)} after\n`,
    );

    // The caller with the right code got in while the flood was on, and reached the MCU.
    expect(caller).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    expect(callerDoneMs).toBeLessThan(floodMs);
    expect(mcu.invites()).toHaveLength(1);
    expect(verdicts.filter((v) => v === 'admitted')).toHaveLength(1);
    // Every flood INVITE was answered; the rate limit kept all but a few from admission: the burst
    // (40) and 20/s for the flood's length, with room for a slow run.
    expect(flooded.successful).toBe(FLOOD_RATE * FLOOD_SECONDS);
    expect(verdicts.length - 1).toBeLessThanOrEqual(40 + (20 * floodMs) / 1000);
    // OPTIONS answered throughout: none lost, none in the queue for long.
    expect(pinger.sent).toBeGreaterThan((10 * floodMs) / 1000 - 5);
    expect(unanswered).toBe(0);
    expect(sorted[sorted.length - 1]).toBeLessThan(1000);
    // Memory: nothing per refused INVITE is kept (the rate limit holds one bucket per source).
    expect(rssPeak - rssBefore).toBeLessThan(64);
  }, 90_000);
});
