import type { Logger } from '../log/logger';
import type { ClaimedMailJob, MailOutcome, MailQueue } from './mail-queue';
import { outcomeOfFailure, type RetryPolicy } from './retry-policy';
import { MailSendError, type MailSender } from './smtp-sender';

export interface MailWorkerOptions {
  queue: MailQueue;
  /** `undefined` when no SMTP host is configured: jobs then wait in the queue. */
  sender: MailSender | undefined;
  log: Logger;
  retry: RetryPolicy;
  /** How long a claimed job stays hidden from other workers; longer than one send can take. */
  leaseMs: number;
  /** Interval between looks for due jobs once started. */
  pollMs: number;
  /** Most jobs sent in one pass, so one pass cannot run for ever behind a long queue. */
  batchSize?: number;
  /** Clock (epoch ms); injected by tests to step through backoff without sleeping. */
  now?: () => number;
}

/**
 * Sends due mail jobs from the queue. Several workers (one per confgate instance) may share one
 * queue: each claim is atomic and leased, so a job is sent by one worker at a time and comes
 * back by itself if that worker dies. Mail content is never logged: it holds the access code.
 */
export class MailWorker {
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private warnedNoSender = false;

  constructor(private readonly options: MailWorkerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Looks for due jobs every `pollMs` until `stop()`. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.runOnce(), this.options.pollMs);
    this.timer.unref();
  }

  /** Stops polling and waits for the pass in progress, so no send is cut off half way. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass: sends jobs that are due now. Resolves with the number of attempts made. Never rejects. */
  runOnce(): Promise<number> {
    // Passes never overlap: an interval tick during a slow send joins the pass in progress.
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<number> {
    const { sender, queue, log } = this.options;
    if (!sender) {
      if (!this.warnedNoSender) log.warn('no smtp.host configured: confirmation mails stay queued until one is set');
      this.warnedNoSender = true;
      return 0;
    }
    let attempts = 0;
    try {
      for (; attempts < (this.options.batchSize ?? 20); attempts++) {
        const job = await queue.claimDue(this.now(), this.options.leaseMs);
        if (!job) break;
        await this.attempt(sender, job);
      }
    } catch (e) {
      log.error({ err: e }, 'mail queue unavailable; will try again');
    }
    return attempts;
  }

  private async attempt(sender: MailSender, job: ClaimedMailJob): Promise<void> {
    const { queue, log, retry } = this.options;
    const context = { jobId: job.id, bookingId: job.bookingId, attempt: job.attempts };
    let outcome: MailOutcome;
    try {
      const { rejected } = await sender.send(job.mail);
      if (rejected.length > 0)
        log.warn({ ...context, rejected: rejected.length }, 'mail server refused some recipients');
      outcome = { state: 'sent', at: this.now() };
      log.info(context, 'confirmation mail sent');
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      outcome = outcomeOfFailure(job.attempts, error, e instanceof MailSendError && e.permanent, this.now(), retry);
      log.warn({ ...context, state: outcome.state, error }, 'confirmation mail not sent');
    }
    if (!(await queue.settle(job, outcome))) {
      log.warn(context, 'mail job lease ran out before its outcome was recorded; another worker holds it');
    }
  }
}
