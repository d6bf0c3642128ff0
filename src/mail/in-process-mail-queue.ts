import { randomUUID } from 'node:crypto';
import type { MailStatus } from '../booking/booking-notifier';
import type { ClaimedMailJob, MailClaim, MailJob, MailOutcome, MailQueue } from './mail-queue';
import { mailStatusOf } from './mail-queue';
import type { OutgoingMail } from './outgoing-mail';

type StoredJob = Omit<MailJob, 'mail'> & { mail?: OutgoingMail; claim?: string };

/**
 * The mail queue of a single instance without Redis: same contract as `RedisMailQueue`, kept in
 * memory, so queued mail is lost with the process (as every booking is in that mode).
 */
export class InProcessMailQueue implements MailQueue {
  private readonly jobs = new Map<string, StoredJob>();
  private readonly latest = new Map<string, string>();

  async enqueue(bookingId: string, mail: OutgoingMail, now: number): Promise<MailJob> {
    const job: MailJob = {
      id: randomUUID(),
      bookingId,
      mail: structuredClone(mail),
      state: 'pending',
      attempts: 0,
      createdAt: now,
      dueAt: now,
    };
    const previous = this.jobs.get(this.latest.get(bookingId) ?? '');
    if (previous && isFinal(previous)) this.jobs.delete(previous.id);
    this.latest.set(bookingId, job.id);
    this.jobs.set(job.id, job);
    return structuredClone(job);
  }

  async claimDue(now: number, leaseMs: number): Promise<ClaimedMailJob | undefined> {
    let next: StoredJob | undefined;
    for (const job of this.jobs.values()) {
      if (!isFinal(job) && job.dueAt <= now && (!next || job.dueAt < next.dueAt)) next = job;
    }
    if (!next?.mail) return undefined;
    next.claim = randomUUID();
    next.dueAt = now + leaseMs;
    next.attempts += 1;
    const { claim, mail, ...rest } = structuredClone(next);
    return { ...rest, mail: mail!, claim: claim!, leaseUntil: next.dueAt };
  }

  async settle(job: MailClaim, outcome: MailOutcome): Promise<boolean> {
    const stored = this.jobs.get(job.id);
    if (!stored || stored.claim !== job.claim) return false;
    delete stored.claim;
    stored.state = outcome.state;
    stored.lastAttemptAt = outcome.at;
    if (outcome.state !== 'sent') stored.lastError = outcome.error;
    if (outcome.state === 'retrying') {
      stored.dueAt = outcome.retryAt;
      return true;
    }
    if (outcome.state === 'sent') stored.sentAt = outcome.at;
    delete stored.mail;
    if (this.latest.get(stored.bookingId) !== stored.id) this.jobs.delete(stored.id);
    return true;
  }

  async status(bookingId: string): Promise<MailStatus> {
    return mailStatusOf(this.jobs.get(this.latest.get(bookingId) ?? ''));
  }
}

function isFinal(job: Pick<MailJob, 'state'>): boolean {
  return job.state === 'sent' || job.state === 'failed';
}
