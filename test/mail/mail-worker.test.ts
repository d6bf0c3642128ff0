import { InProcessMailQueue } from '../../src/mail/in-process-mail-queue';
import { MailWorker, type MailWorkerOptions } from '../../src/mail/mail-worker';
import { createSmtpSender } from '../../src/mail/smtp-sender';
import { freePort } from '../support/free-port';
import { capturingLogger } from './log-capture';
import { sampleMail } from './mail-queue-contract';
import { smtpSettingsFor, startSmtpTestServer, type SmtpTestServer } from './smtp-test-server';

const T0 = Date.parse('2026-11-29T10:00:00Z');
const retry = { maxAttempts: 4, baseMs: 30_000, maxMs: 3_600_000 };

describe('MailWorker over a real SMTP server', () => {
  let smtp: SmtpTestServer;
  let clock: number;
  let queue: InProcessMailQueue;
  let capture: ReturnType<typeof capturingLogger>;

  beforeEach(async () => {
    smtp = await startSmtpTestServer();
    clock = T0;
    queue = new InProcessMailQueue();
    capture = capturingLogger();
  });
  afterEach(async () => {
    await smtp.stop();
  });

  function worker(overrides: Partial<MailWorkerOptions> = {}): MailWorker {
    return new MailWorker({
      queue,
      sender: createSmtpSender(smtpSettingsFor(smtp)),
      log: capture.log,
      retry,
      leaseMs: 120_000,
      pollMs: 1000,
      now: () => clock,
      ...overrides,
    });
  }

  it('delivers a due mail with its parts and records it as sent', async () => {
    await queue.enqueue('b1', { ...sampleMail(), replyTo: 'organiser@example.org' }, T0);
    expect(await worker().runOnce()).toBe(1);
    const [mail] = smtp.received;
    expect(smtp.received).toHaveLength(1);
    expect(mail!.envelopeFrom).toBe('noreply@confgate.test');
    expect(mail!.envelopeTo).toEqual(['organiser@example.org', 'guest@example.org']);
    expect(mail!.parsed.subject).toBe('Conference booked: Weekly 1');
    expect(mail!.parsed.text).toContain('Conference number: 1234 (end with #)');
    expect(mail!.parsed.html).toContain('<p>Conference number: 1234 (end with #)</p>');
    expect(mail!.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail!.parsed.replyTo?.text).toBe('organiser@example.org');
    expect(mail!.raw).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=REQUEST/i);
    expect(await queue.status('b1')).toEqual({
      state: 'sent',
      attempts: 1,
      lastAttemptAt: new Date(T0).toISOString(),
      sentAt: new Date(T0).toISOString(),
    });
    // Mail content (with the access code) never reaches the log. Pino's time stamp and the random job id are
    // left out: they may hold any four digits (a run failed on time 1796681234873).
    const logged = capture.lines.map(({ time: _time, jobId: _jobId, ...line }) => line);
    expect(JSON.stringify(logged)).not.toContain('1234');
  });

  it('retries with exponential backoff after 451 refusals, then delivers exactly once', async () => {
    smtp.refuse(2, 'rcpt', 451, '4.3.0 Mailbox temporarily unavailable');
    await queue.enqueue('b1', sampleMail(), T0);
    const w = worker();

    expect(await w.runOnce()).toBe(1);
    expect(await queue.status('b1')).toMatchObject({
      state: 'retrying',
      attempts: 1,
      lastError: expect.stringContaining('451'),
    });
    clock = T0 + 29_999;
    expect(await w.runOnce()).toBe(0);

    clock = T0 + 30_000;
    expect(await w.runOnce()).toBe(1);
    expect(await queue.status('b1')).toMatchObject({ state: 'retrying', attempts: 2 });
    // The second delay doubles: 60 s after the second attempt.
    clock = T0 + 30_000 + 59_999;
    expect(await w.runOnce()).toBe(0);
    clock = T0 + 30_000 + 60_000;
    expect(await w.runOnce()).toBe(1);

    expect(smtp.received).toHaveLength(1);
    expect(smtp.transactions).toBe(3);
    expect(await queue.status('b1')).toMatchObject({
      state: 'sent',
      attempts: 3,
      lastError: expect.stringContaining('Mailbox temporarily unavailable'),
    });
    clock += 10 * retry.maxMs;
    expect(await w.runOnce()).toBe(0);
    expect(smtp.received).toHaveLength(1);
  });

  it('retries a refusal at DATA as well', async () => {
    smtp.refuse(1, 'data', 452, '4.3.1 Insufficient system storage');
    await queue.enqueue('b1', sampleMail(), T0);
    const w = worker();
    await w.runOnce();
    expect(await queue.status('b1')).toMatchObject({
      state: 'retrying',
      attempts: 1,
      lastError: expect.stringContaining('452'),
    });
    clock = T0 + retry.baseMs;
    await w.runOnce();
    expect(smtp.received).toHaveLength(1);
    expect(await queue.status('b1')).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('gives up at once on a permanent 550 refusal', async () => {
    smtp.refuse(5, 'rcpt', 550, '5.1.1 No such user');
    await queue.enqueue('b1', sampleMail(), T0);
    const w = worker();
    await w.runOnce();
    expect(await queue.status('b1')).toMatchObject({
      state: 'failed',
      attempts: 1,
      lastError: expect.stringContaining('550'),
    });
    clock += 10 * retry.maxMs;
    expect(await w.runOnce()).toBe(0);
    expect(smtp.received).toHaveLength(0);
  });

  it('fails after maxAttempts transient failures, keeping the last error', async () => {
    smtp.refuse(100, 'rcpt', 450, '4.2.0 Mailbox busy');
    await queue.enqueue('b1', sampleMail(), T0);
    const w = worker();
    for (let i = 0; i < 10; i++) {
      await w.runOnce();
      clock += retry.maxMs;
    }
    expect(smtp.transactions).toBe(retry.maxAttempts);
    expect(await queue.status('b1')).toMatchObject({
      state: 'failed',
      attempts: retry.maxAttempts,
      lastError: expect.stringContaining('450 4.2.0 Mailbox busy'),
    });
  });

  it('retries when the SMTP server cannot be reached', async () => {
    await queue.enqueue('b1', sampleMail(), T0);
    const closedPort = await freePort();
    await worker({ sender: createSmtpSender(smtpSettingsFor({ host: '127.0.0.1', port: closedPort })) }).runOnce();
    expect(await queue.status('b1')).toMatchObject({
      state: 'retrying',
      attempts: 1,
      lastError: expect.stringMatching(/ECONNREFUSED/),
    });
  });

  it('keeps mail pending and warns once when no SMTP host is configured', async () => {
    const sender = createSmtpSender(smtpSettingsFor({ host: '', port: 25 }));
    expect(sender).toBeUndefined();
    await queue.enqueue('b1', sampleMail(), T0);
    const w = worker({ sender });
    for (let i = 0; i < 3; i++) expect(await w.runOnce()).toBe(0);
    expect(await queue.status('b1')).toEqual({ state: 'pending', attempts: 0 });
    expect(capture.lines.filter((l) => /no smtp\.host/.test(String(l.msg)))).toHaveLength(1);
    expect(capture.lines.find((l) => /no smtp\.host/.test(String(l.msg)))!.level).toBe(40);
  });

  it('polls on its interval once started and stops cleanly', async () => {
    const w = worker({ pollMs: 10, now: Date.now });
    w.start();
    await queue.enqueue('b1', sampleMail('first'), Date.now());
    await smtp.waitFor(1);
    await w.stop();
    await queue.enqueue('b2', sampleMail('second'), Date.now());
    await new Promise((r) => setTimeout(r, 100));
    expect(smtp.received.map((m) => m.parsed.subject)).toEqual(['first']);
    expect(await queue.status('b2')).toEqual({ state: 'pending', attempts: 0 });
  });

  it('logs and survives a queue that throws', async () => {
    const broken = new InProcessMailQueue();
    broken.claimDue = () => Promise.reject(new Error('store unreachable'));
    expect(await worker({ queue: broken }).runOnce()).toBe(0);
    expect(capture.lines.some((l) => l.level === 50 && /mail queue unavailable/.test(String(l.msg)))).toBe(true);
  });
});
