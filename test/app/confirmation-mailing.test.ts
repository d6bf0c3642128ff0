import { createConfirmationMailing } from '../../src/app/confirmation-mailing';
import { configSchema } from '../../src/config/config-schema';
import { redisKeys } from '../../src/store/redis-keys';
import type { RedisClient } from '../../src/store/redis-connection';
import { useRedisServer } from '../support/redis-fixture';
import { capturingLogger } from '../mail/log-capture';
import { startSmtpTestServer, type SmtpTestServer } from '../mail/smtp-test-server';
import { booking, organizer } from '../booking/confirmation/booking-fixture';

describe('createConfirmationMailing', () => {
  let smtp: SmtpTestServer;
  const redisServer = useRedisServer();
  let redis: RedisClient;
  beforeAll(() => {
    redis = redisServer.client();
  });
  beforeEach(async () => {
    smtp = await startSmtpTestServer();
  });
  afterEach(async () => {
    await smtp.stop();
  });

  function config() {
    return configSchema.parse({
      publicHost: 'visio.example.org',
      smtp: { host: smtp.host, port: smtp.port, from: 'confgate <noreply@confgate.test>', timeoutSeconds: 5 },
    });
  }

  it('sends a confirmation right after notify, without a running poll, from the in-process queue', async () => {
    const { notifier, worker } = createConfirmationMailing(config(), undefined, capturingLogger().log);
    await notifier.notify(booking(), organizer, 'created');
    const [mail] = await smtp.waitFor(1);
    await worker.stop();
    expect(mail!.parsed.text).toContain('SIP URI: sip:5387@visio.example.org');
    expect(mail!.envelopeFrom).toBe('noreply@confgate.test');
    expect(await notifier.status(booking().id)).toMatchObject({ state: 'sent', attempts: 1 });
  });

  it('keeps the queue in Redis when given a Redis client', async () => {
    await redis.flushdb();
    const cfg = config();
    cfg.smtp.host = '';
    const { notifier, worker } = createConfirmationMailing(cfg, redis, capturingLogger().log);
    await notifier.notify(booking(), organizer, 'created');
    await worker.stop();
    expect(await redis.zcard(redisKeys.mailDue())).toBe(1);
    expect(await notifier.status(booking().id)).toEqual({ state: 'pending', attempts: 0 });
  });
});
