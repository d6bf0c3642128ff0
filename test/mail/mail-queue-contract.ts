import type { MailQueue } from '../../src/mail/mail-queue';
import type { OutgoingMail } from '../../src/mail/outgoing-mail';

export function sampleMail(subject = 'Conference booked: Weekly 1'): OutgoingMail {
  return {
    to: ['organiser@example.org', 'guest@example.org'],
    subject,
    text: 'Conference number: 1234 (end with #)\n',
    html: '<p>Conference number: 1234 (end with #)</p>',
    calendar: { method: 'REQUEST', content: 'BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n' },
  };
}

const T0 = Date.parse('2026-11-29T10:00:00Z');
const LEASE = 60_000;

/**
 * The behaviour every MailQueue must have. `fresh` returns an empty queue for each test.
 */
export function mailQueueContract(fresh: () => Promise<MailQueue>): void {
  let queue: MailQueue;
  beforeEach(async () => {
    queue = await fresh();
  });

  it('reports no mail for a booking that never had one', async () => {
    expect(await queue.status('b-none')).toEqual({ state: 'none', attempts: 0 });
  });

  it('keeps an enqueued mail intact and hands it to one claimer at a time', async () => {
    const job = await queue.enqueue('b1', sampleMail(), T0);
    expect(await queue.status('b1')).toEqual({ state: 'pending', attempts: 0 });
    const claimed = await queue.claimDue(T0, LEASE);
    expect(claimed).toMatchObject({
      id: job.id,
      bookingId: 'b1',
      attempts: 1,
      leaseUntil: T0 + LEASE,
      mail: sampleMail(),
    });
    expect(await queue.claimDue(T0 + 1, LEASE)).toBeUndefined();
    expect(await queue.status('b1')).toEqual({ state: 'pending', attempts: 1 });
  });

  it('records a sent mail and never hands it out again', async () => {
    await queue.enqueue('b1', sampleMail(), T0);
    const claimed = (await queue.claimDue(T0, LEASE))!;
    expect(await queue.settle(claimed, { state: 'sent', at: T0 + 500 })).toBe(true);
    expect(await queue.status('b1')).toEqual({
      state: 'sent',
      attempts: 1,
      lastAttemptAt: new Date(T0 + 500).toISOString(),
      sentAt: new Date(T0 + 500).toISOString(),
    });
    expect(await queue.claimDue(T0 + 10 * LEASE, LEASE)).toBeUndefined();
  });

  it('holds a retrying mail back until its retry time, then counts the next attempt', async () => {
    await queue.enqueue('b1', sampleMail(), T0);
    const first = (await queue.claimDue(T0, LEASE))!;
    await queue.settle(first, { state: 'retrying', at: T0 + 100, error: '451 4.3.0 try later', retryAt: T0 + 30_000 });
    expect(await queue.status('b1')).toEqual({
      state: 'retrying',
      attempts: 1,
      lastError: '451 4.3.0 try later',
      lastAttemptAt: new Date(T0 + 100).toISOString(),
    });
    expect(await queue.claimDue(T0 + 29_999, LEASE)).toBeUndefined();
    const second = (await queue.claimDue(T0 + 30_000, LEASE))!;
    expect(second.attempts).toBe(2);
    expect(second.mail).toEqual(sampleMail());
    await queue.settle(second, { state: 'sent', at: T0 + 30_100 });
    expect(await queue.status('b1')).toMatchObject({ state: 'sent', attempts: 2, lastError: '451 4.3.0 try later' });
  });

  it('records a failed mail with its last error and stops handing it out', async () => {
    await queue.enqueue('b1', sampleMail(), T0);
    const claimed = (await queue.claimDue(T0, LEASE))!;
    await queue.settle(claimed, { state: 'failed', at: T0 + 1, error: '550 5.1.1 no such user' });
    expect(await queue.status('b1')).toMatchObject({
      state: 'failed',
      attempts: 1,
      lastError: '550 5.1.1 no such user',
    });
    expect(await queue.claimDue(T0 + 10 * LEASE, LEASE)).toBeUndefined();
  });

  it('makes a claimed job due again when its lease ends, and ignores the stale holder', async () => {
    const job = await queue.enqueue('b1', sampleMail(), T0);
    const stale = (await queue.claimDue(T0, LEASE))!;
    expect(await queue.claimDue(T0 + LEASE - 1, LEASE)).toBeUndefined();
    const again = (await queue.claimDue(T0 + LEASE, LEASE))!;
    expect(again).toMatchObject({ id: job.id, attempts: 2 });
    expect(again.claim).not.toBe(stale.claim);
    expect(await queue.settle(stale, { state: 'failed', at: T0 + LEASE + 1, error: 'stale' })).toBe(false);
    expect(await queue.settle(again, { state: 'sent', at: T0 + LEASE + 2 })).toBe(true);
    expect(await queue.status('b1')).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('hands out the job due first', async () => {
    await queue.enqueue('late', sampleMail('late'), T0 + 5);
    await queue.enqueue('early', sampleMail('early'), T0);
    expect((await queue.claimDue(T0 + 10, LEASE))!.bookingId).toBe('early');
    expect((await queue.claimDue(T0 + 10, LEASE))!.bookingId).toBe('late');
  });

  it("shows the booking's latest mail, whatever an older one does", async () => {
    await queue.enqueue('b1', sampleMail('created'), T0);
    const older = (await queue.claimDue(T0, LEASE))!;
    await queue.enqueue('b1', sampleMail('updated'), T0 + 1);
    await queue.settle(older, { state: 'failed', at: T0 + 2, error: 'boom' });
    expect(await queue.status('b1')).toEqual({ state: 'pending', attempts: 0 });
    const newer = (await queue.claimDue(T0 + 3, LEASE))!;
    expect(newer.mail.subject).toBe('updated');
    await queue.settle(newer, { state: 'sent', at: T0 + 4 });
    expect(await queue.status('b1')).toMatchObject({ state: 'sent', attempts: 1 });
    // A third mail replaces the finished one as the booking's status.
    await queue.enqueue('b1', sampleMail('resend'), T0 + 5);
    expect(await queue.status('b1')).toEqual({ state: 'pending', attempts: 0 });
  });

  it('gives each of many concurrent claimers a different job', async () => {
    for (let i = 0; i < 20; i++) await queue.enqueue(`b${i}`, sampleMail(`m${i}`), T0);
    const claims = await Promise.all(Array.from({ length: 40 }, () => queue.claimDue(T0, LEASE)));
    const got = claims.filter((c) => c !== undefined).map((c) => c.bookingId);
    expect(got).toHaveLength(20);
    expect(new Set(got).size).toBe(20);
  });
}
