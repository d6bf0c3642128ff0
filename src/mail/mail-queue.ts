import type { MailStatus } from '../booking/booking-notifier';
import type { OutgoingMail } from './outgoing-mail';

/** A job's life: pending → (claimed) → sent | retrying → … → sent | failed. */
export type MailJobState = 'pending' | 'retrying' | 'sent' | 'failed';

/** One message to send for one booking. Times are epoch milliseconds from the caller's clock. */
export interface MailJob {
  id: string;
  bookingId: string;
  mail: OutgoingMail;
  state: MailJobState;
  /** Sending attempts started so far (counted when a worker claims the job). */
  attempts: number;
  createdAt: number;
  dueAt: number;
  lastError?: string;
  lastAttemptAt?: number;
  sentAt?: number;
}

/** A job held by one worker until `leaseUntil`; `claim` proves the lease when the outcome is recorded. */
export interface ClaimedMailJob extends MailJob {
  claim: string;
  leaseUntil: number;
}

/** What identifies a claim when its outcome is recorded. */
export type MailClaim = Pick<ClaimedMailJob, 'id' | 'bookingId' | 'claim'>;

/** What a worker reports after an attempt. */
export type MailOutcome =
  | { state: 'sent'; at: number }
  | { state: 'retrying'; at: number; error: string; retryAt: number }
  | { state: 'failed'; at: number; error: string };

/**
 * The mail queue kept in the store. Implementations: in-process (`InProcessMailQueue`) and
 * Redis (`RedisMailQueue`); both pass `test/mail/mail-queue-contract.ts`.
 *
 * Delivery is at least once: a job whose worker dies is claimed again when its lease ends.
 * Claims are atomic, so two workers never hold the same job at the same time. Storage stays
 * bounded: a finished job keeps only its status fields, and only while it is its booking's latest.
 */
export interface MailQueue {
  /** Queues a mail for a booking, due now; resolves once stored. It becomes the booking's latest job. */
  enqueue(bookingId: string, mail: OutgoingMail, now: number): Promise<MailJob>;
  /** Takes the earliest job due at `now`, hidden from other workers until `now + leaseMs`; counts an attempt. */
  claimDue(now: number, leaseMs: number): Promise<ClaimedMailJob | undefined>;
  /** Records an attempt's outcome. False when the lease was lost (another worker holds the job now). */
  settle(job: MailClaim, outcome: MailOutcome): Promise<boolean>;
  /** The mail status of a booking: that of its latest job, `none` before any. */
  status(bookingId: string): Promise<MailStatus>;
}

/** The status a booking shows for its latest job. */
export function mailStatusOf(job: Omit<MailJob, 'mail'> | undefined): MailStatus {
  if (!job) return { state: 'none', attempts: 0 };
  const status: MailStatus = { state: job.state, attempts: job.attempts };
  if (job.lastError !== undefined) status.lastError = job.lastError;
  if (job.lastAttemptAt !== undefined) status.lastAttemptAt = new Date(job.lastAttemptAt).toISOString();
  if (job.sentAt !== undefined) status.sentAt = new Date(job.sentAt).toISOString();
  return status;
}
