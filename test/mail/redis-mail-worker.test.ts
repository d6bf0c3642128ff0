import { Redis } from 'ioredis';
import { MailWorker } from '../../src/mail/mail-worker';
import { RedisMailQueue } from '../../src/mail/redis-mail-queue';
import { createSmtpSender } from '../../src/mail/smtp-sender';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { capturingLogger } from './log-capture';
import { sampleMail } from './mail-queue-contract';
import { smtpSettingsFor, startSmtpTestServer, type SmtpTestServer } from './smtp-test-server';

const retry = { maxAttempts: 5, baseMs: 1000, maxMs: 60_000 };

describe('two confgate instances sending from one Redis', () => {
  let server: RedisServer;
  let smtp: SmtpTestServer;
  const clients: Redis[] = [];

  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });
  beforeEach(async () => {
    smtp = await startSmtpTestServer();
    const admin = new Redis(server.url);
    await admin.flushdb();
    admin.disconnect();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.disconnect();
    await smtp.stop();
  });

  /** One instance: its own Redis connection, queue and worker, as a separate process would have. */
  function instance(now: () => number): { queue: RedisMailQueue; worker: MailWorker } {
    const redis = new Redis(server.url);
    clients.push(redis);
    const queue = new RedisMailQueue(redis);
    const worker = new MailWorker({
      queue,
      sender: createSmtpSender(smtpSettingsFor(smtp)),
      log: capturingLogger().log,
      retry,
      leaseMs: 30_000,
      pollMs: 1000,
      now,
    });
    return { queue, worker };
  }

  it('never sends a job twice when two workers drain the same queue', async () => {
    const a = instance(Date.now);
    const b = instance(Date.now);
    const count = 30;
    for (let i = 0; i < count; i++)
      await (i % 2 ? a : b).queue.enqueue(`booking-${i}`, sampleMail(`mail ${i}`), Date.now());
    while (smtp.received.length < count) {
      const [sentA, sentB] = await Promise.all([a.worker.runOnce(), b.worker.runOnce()]);
      if (sentA + sentB === 0) break;
    }
    const subjects = smtp.received.map((m) => m.parsed.subject);
    expect(subjects).toHaveLength(count);
    expect(new Set(subjects).size).toBe(count);
    for (let i = 0; i < count; i++)
      expect(await a.queue.status(`booking-${i}`)).toMatchObject({ state: 'sent', attempts: 1 });
  });

  it('sends, once, a job whose worker died holding it, after the lease', async () => {
    let clock = Date.parse('2026-11-29T10:00:00Z');
    const dead = instance(() => clock);
    const alive = instance(() => clock);
    await dead.queue.enqueue('b1', sampleMail('orphan'), clock);
    // The first instance claims the job and dies before sending or recording anything.
    expect(await dead.queue.claimDue(clock, 30_000)).toBeDefined();
    expect(await alive.worker.runOnce()).toBe(0);
    clock += 30_000;
    expect(await alive.worker.runOnce()).toBe(1);
    expect(smtp.received.map((m) => m.parsed.subject)).toEqual(['orphan']);
    expect(await alive.queue.status('b1')).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('keeps queued mail across a restart of the instance (same Redis)', async () => {
    const before = instance(Date.now);
    await before.queue.enqueue('b1', sampleMail('survivor'), Date.now());
    clients.shift()!.disconnect();
    const after = instance(Date.now);
    await after.worker.runOnce();
    expect(smtp.received.map((m) => m.parsed.subject)).toEqual(['survivor']);
  });
});
