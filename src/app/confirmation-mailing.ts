import type { Config } from '../config/config-schema';
import type { Logger } from '../log/logger';
import { InProcessMailQueue } from '../mail/in-process-mail-queue';
import { MailWorker } from '../mail/mail-worker';
import { RedisMailQueue } from '../mail/redis-mail-queue';
import { createSmtpSender } from '../mail/smtp-sender';
import type { RedisClient } from '../store/redis-connection';
import { ConfirmationNotifier } from '../mail/confirmation-notifier';

/** The confirmation mail of a running confgate: the notifier the booking API calls, and its worker. */
export interface ConfirmationMailing {
  notifier: ConfirmationNotifier;
  worker: MailWorker;
}

/**
 * Wires the notifier and the worker from the settings: the queue lives in Redis when the store
 * does (`redis` given), in memory otherwise. Each queued mail starts a worker pass at once, so a
 * confirmation leaves within the SMTP round trip rather than the next poll. Call
 * `worker.start()` to poll for retries, and `await worker.stop()` on shutdown.
 */
export function createConfirmationMailing(
  config: Config,
  redis: RedisClient | undefined,
  log: Logger,
): ConfirmationMailing {
  const queue = redis ? new RedisMailQueue(redis) : new InProcessMailQueue();
  const worker = new MailWorker({
    queue,
    sender: createSmtpSender(config.smtp),
    log: log.child({ component: 'mail' }),
    retry: {
      maxAttempts: config.smtp.maxAttempts,
      baseMs: config.smtp.retryBaseSeconds * 1000,
      maxMs: config.smtp.retryMaxSeconds * 1000,
    },
    leaseMs: config.smtp.leaseSeconds * 1000,
    pollMs: config.smtp.pollSeconds * 1000,
  });
  const notifier = new ConfirmationNotifier({
    queue,
    join: {
      publicHost: config.publicHost,
      phoneNumber: config.phoneNumber,
      desktopLinkTemplate: config.desktopLinkTemplate,
    },
    onQueued: () => void worker.runOnce(),
  });
  return { notifier, worker };
}
