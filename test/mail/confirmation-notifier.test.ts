import { Redis } from 'ioredis';
import type { Booking } from '../../src/booking/booking';
import { ConfirmationNotifier } from '../../src/mail/confirmation-notifier';
import { InProcessMailQueue } from '../../src/mail/in-process-mail-queue';
import type { MailQueue } from '../../src/mail/mail-queue';
import { MailWorker } from '../../src/mail/mail-worker';
import { RedisMailQueue } from '../../src/mail/redis-mail-queue';
import { createSmtpSender } from '../../src/mail/smtp-sender';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { capturingLogger } from './log-capture';
import { smtpSettingsFor, startSmtpTestServer, type ReceivedMail, type SmtpTestServer } from './smtp-test-server';
import { booking, englishConfirmationLines, joinSettings, organizer } from '../booking/confirmation/booking-fixture';
import { componentProperties, icsProperties, icsText, single } from '../booking/confirmation/ics-properties';

const NOW = new Date('2026-11-29T10:00:00Z');

/** The text/calendar part of a received mail, as text; undefined when there is none. */
function calendarPart(mail: ReceivedMail): string | undefined {
  const parts = mail.parsed.attachments.filter((a) => a.contentType === 'text/calendar');
  return parts[0]?.content.toString('utf8');
}

function eventOf(mail: ReceivedMail) {
  const ics = calendarPart(mail);
  expect(ics).toBeDefined();
  const all = icsProperties(ics!);
  return { calendar: componentProperties(all, 'VCALENDAR'), event: componentProperties(all, 'VEVENT') };
}

describe('ConfirmationNotifier end to end (queue → worker → SMTP → mailparser)', () => {
  let smtp: SmtpTestServer;
  let queue: InProcessMailQueue;
  let notifier: ConfirmationNotifier;
  let worker: MailWorker;

  beforeEach(async () => {
    smtp = await startSmtpTestServer();
    queue = new InProcessMailQueue();
    notifier = new ConfirmationNotifier({ queue, join: joinSettings, now: () => NOW });
    worker = workerFor(queue);
  });
  afterEach(async () => {
    await worker.stop();
    await smtp.stop();
  });

  function workerFor(q: MailQueue): MailWorker {
    return new MailWorker({
      queue: q,
      sender: createSmtpSender(smtpSettingsFor(smtp)),
      log: capturingLogger().log,
      retry: { maxAttempts: 3, baseMs: 1000, maxMs: 10_000 },
      leaseMs: 60_000,
      pollMs: 1000,
    });
  }

  async function deliver(b: Booking, kind: Parameters<ConfirmationNotifier['notify']>[2]): Promise<ReceivedMail> {
    const before = smtp.received.length;
    await notifier.notify(b, organizer, kind);
    await worker.runOnce();
    expect(smtp.received).toHaveLength(before + 1);
    return smtp.received[before]!;
  }

  it('sends the organiser and the recipients a confirmation with text, HTML and the .ics', async () => {
    const b = booking({ recipients: ['bob@example.org', 'ALICE@example.org', 'Carol@Example.org'] });
    const mail = await deliver(b, 'created');

    // The organiser once, though listed again in another case; nodemailer lower-cases domains.
    expect(mail.envelopeTo).toEqual(['alice@example.org', 'bob@example.org', 'Carol@example.org']);
    expect(mail.parsed.replyTo?.text).toBe('alice@example.org');
    expect(mail.parsed.subject).toBe('Conference booked: Réunion projet, 2026-12-01 10:00 Europe/Paris');
    expect(mail.parsed.text!.split('\n').filter((l) => l !== '')).toEqual([
      'Your conference "Réunion projet" is booked.',
      ...englishConfirmationLines,
    ]);
    expect(mail.parsed.html).toContain('<th align="left">Access code</th><td>8688 (end with #)</td>');

    expect(mail.raw).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=REQUEST/);
    const { calendar, event } = eventOf(mail);
    expect(single(calendar, 'METHOD').value).toBe('REQUEST');
    expect(single(event, 'UID').value).toBe(`booking-${b.id}@confgate`);
    expect(single(event, 'SEQUENCE').value).toBe('0');
    expect(single(event, 'DTSTART')).toMatchObject({ params: { TZID: 'Europe/Paris' }, value: '20261201T100000' });
    expect(single(event, 'DTEND')).toMatchObject({ params: { TZID: 'Europe/Paris' }, value: '20261201T113000' });
    expect(single(event, 'LOCATION').value).toBe('sip:5387@visio.example.org');
    expect(single(event, 'SUMMARY').value).toBe('Réunion projet');
    expect(single(event, 'ORGANIZER').value.toLowerCase()).toBe('mailto:alice@example.org');
    expect(event.filter((p) => p.name === 'ATTENDEE').map((p) => p.value.toLowerCase())).toEqual([
      'mailto:bob@example.org',
      'mailto:carol@example.org',
    ]);
    const description = icsText(single(event, 'DESCRIPTION').value);
    expect(description).toContain('Conference number: 5387 (end with #)');
    expect(description).toContain('Access code: 8688 (end with #)');
    expect(description).toContain('H.323 URI: h323:5387@visio.example.org');

    expect(await notifier.status(b.id)).toMatchObject({ state: 'sent', attempts: 1 });
  });

  it('updates the same calendar event with a raised SEQUENCE, then cancels it', async () => {
    const b = booking({ language: 'fr' });
    const created = eventOf(await deliver(b, 'created'));
    const updatedMail = await deliver(
      {
        ...b,
        sequence: 1,
        title: 'Réunion déplacée',
        start: '2026-12-01T11:00',
        startsAt: '2026-12-01T10:00:00.000Z',
        endsAt: '2026-12-01T11:30:00.000Z',
      },
      'updated',
    );
    const updated = eventOf(updatedMail);
    const cancelledMail = await deliver({ ...b, sequence: 2, status: 'cancelled' }, 'cancelled');
    const cancelled = eventOf(cancelledMail);

    expect(updatedMail.parsed.subject).toBe('Conférence modifiée : Réunion déplacée, 2026-12-01 11:00 Europe/Paris');
    expect(updatedMail.parsed.text).toContain('Numéro de conférence\u00a0: 5387 (terminer par #)');
    expect(updatedMail.parsed.text).toContain('Code d’accès\u00a0: 8688 (terminer par #)');
    const uid = single(created.event, 'UID').value;
    expect(single(updated.event, 'UID').value).toBe(uid);
    expect(single(cancelled.event, 'UID').value).toBe(uid);
    expect([created, updated, cancelled].map((c) => Number(single(c.event, 'SEQUENCE').value))).toEqual([0, 1, 2]);
    expect(single(updated.event, 'DTSTART').value).toBe('20261201T110000');

    expect(cancelledMail.parsed.subject).toBe('Conférence annulée : Réunion projet, 2026-12-01 10:00 Europe/Paris');
    expect(cancelledMail.raw).toMatch(/method=CANCEL/);
    expect(single(cancelled.calendar, 'METHOD').value).toBe('CANCEL');
    expect(single(cancelled.event, 'STATUS').value).toBe('CANCELLED');
    expect(cancelledMail.parsed.text).not.toContain('8688');
  });

  it('sends no .ics when the booking does not ask for a calendar invitation', async () => {
    const mail = await deliver(booking({ calendarInvite: false }), 'resend');
    expect(calendarPart(mail)).toBeUndefined();
    expect(mail.raw).not.toMatch(/text\/calendar/);
    expect(mail.parsed.subject).toBe('Conference details: Réunion projet, 2026-12-01 10:00 Europe/Paris');
  });

  it('queues without waiting for SMTP: the booking side sees pending until a worker sends', async () => {
    const b = booking();
    await smtp.stop();
    await notifier.notify(b, organizer, 'created');
    expect(await notifier.status(b.id)).toEqual({ state: 'pending', attempts: 0 });
    await worker.runOnce();
    expect(await notifier.status(b.id)).toMatchObject({
      state: 'retrying',
      attempts: 1,
      lastError: expect.stringMatching(/ECONNREFUSED/),
    });
    smtp = await startSmtpTestServer();
  });

  it('starts a worker pass as soon as a mail is queued when asked to', async () => {
    const eager = new ConfirmationNotifier({ queue, join: joinSettings, onQueued: () => void worker.runOnce() });
    await eager.notify(booking(), organizer, 'created');
    await smtp.waitFor(1);
    // The server has the message; the pass records it once the SMTP transaction has closed.
    await worker.stop();
    expect(await eager.status(booking().id)).toMatchObject({ state: 'sent' });
  });
});

describe('ConfirmationNotifier with the Redis queue', () => {
  let server: RedisServer;
  let redis: Redis;
  let smtp: SmtpTestServer;
  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
    smtp = await startSmtpTestServer();
  });
  afterAll(async () => {
    redis?.disconnect();
    await smtp?.stop();
    await server?.stop();
  });

  it('keeps the mail and its status in Redis and delivers it', async () => {
    const queue = new RedisMailQueue(redis);
    const notifier = new ConfirmationNotifier({ queue, join: joinSettings });
    const b = booking();
    await notifier.notify(b, organizer, 'created');
    expect(await notifier.status(b.id)).toEqual({ state: 'pending', attempts: 0 });
    const worker = new MailWorker({
      queue: new RedisMailQueue(redis),
      sender: createSmtpSender(smtpSettingsFor(smtp)),
      log: capturingLogger().log,
      retry: { maxAttempts: 3, baseMs: 1000, maxMs: 10_000 },
      leaseMs: 60_000,
      pollMs: 1000,
    });
    expect(await worker.runOnce()).toBe(1);
    expect(smtp.received[0]!.parsed.subject).toBe('Conference booked: Réunion projet, 2026-12-01 10:00 Europe/Paris');
    expect(await notifier.status(b.id)).toMatchObject({ state: 'sent', attempts: 1 });
  });
});
