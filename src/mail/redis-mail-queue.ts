import { randomUUID } from 'node:crypto';
import type { MailStatus } from '../booking/booking-notifier';
import type { RedisClient } from '../store/redis-connection';
import { redisKeys } from '../store/redis-keys';
import type { ClaimedMailJob, MailClaim, MailJob, MailJobState, MailOutcome, MailQueue } from './mail-queue';
import { mailStatusOf } from './mail-queue';
import { outgoingMailSchema, type OutgoingMail } from './outgoing-mail';

/** Stores the job, makes it due, and drops the booking's previous job if that one is finished. */
const ENQUEUE = `
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'bookingId', ARGV[2], 'mail', ARGV[3], 'state', 'pending',
  'attempts', 0, 'createdAt', ARGV[4], 'dueAt', ARGV[4])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
local previous = redis.call('GET', KEYS[3])
redis.call('SET', KEYS[3], ARGV[1])
if previous then
  local key = ARGV[5] .. previous
  local state = redis.call('HGET', key, 'state')
  if state == 'sent' or state == 'failed' then redis.call('DEL', key) end
end
return 1`;

/**
 * Claims the earliest due job in one step: moving its score to the lease's end hides it from
 * every other worker, and makes it due again by itself if this worker dies.
 */
const CLAIM = `
for _ = 1, 10 do
  local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1)
  if #ids == 0 then return false end
  local id = ids[1]
  local key = ARGV[4] .. id
  if redis.call('EXISTS', key) == 1 then
    local leaseUntil = tonumber(ARGV[1]) + tonumber(ARGV[2])
    redis.call('ZADD', KEYS[1], leaseUntil, id)
    redis.call('HINCRBY', key, 'attempts', 1)
    redis.call('HSET', key, 'claim', ARGV[3], 'dueAt', leaseUntil)
    return redis.call('HGETALL', key)
  end
  redis.call('ZREM', KEYS[1], id)
end
return false`;

/** Records an outcome if the caller still holds the claim; a finished job keeps only its status. */
const SETTLE = `
if redis.call('HGET', KEYS[1], 'claim') ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], 'claim')
redis.call('HSET', KEYS[1], 'state', ARGV[3], 'lastAttemptAt', ARGV[4])
if ARGV[3] ~= 'sent' then redis.call('HSET', KEYS[1], 'lastError', ARGV[5]) end
if ARGV[3] == 'retrying' then
  redis.call('HSET', KEYS[1], 'dueAt', ARGV[6])
  redis.call('ZADD', KEYS[2], ARGV[6], ARGV[1])
  return 1
end
if ARGV[3] == 'sent' then redis.call('HSET', KEYS[1], 'sentAt', ARGV[4]) end
redis.call('ZREM', KEYS[2], ARGV[1])
if redis.call('GET', KEYS[3]) ~= ARGV[1] then
  redis.call('DEL', KEYS[1])
else
  redis.call('HDEL', KEYS[1], 'mail', 'dueAt')
end
return 1`;

/** Reads the latest job of a booking in one step, so a concurrent enqueue cannot hide it. */
const STATUS = `
local id = redis.call('GET', KEYS[1])
if not id then return false end
return redis.call('HGETALL', ARGV[1] .. id)`;

function hashToObject(reply: unknown): Record<string, string> | undefined {
  if (!Array.isArray(reply) || reply.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < reply.length; i += 2) out[String(reply[i])] = String(reply[i + 1]);
  return out;
}

function optionalNumber(v: string | undefined): number | undefined {
  return v === undefined ? undefined : Number(v);
}

/** Thrown for a stored message that is not an `OutgoingMail` (written by another version, or by hand). */
class UnreadableMailError extends Error {}

function readMail(json: string): OutgoingMail {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (e) {
    throw new UnreadableMailError(`stored message is not JSON: ${(e as Error).message}`);
  }
  const parsed = outgoingMailSchema.safeParse(value);
  if (!parsed.success)
    throw new UnreadableMailError(
      `stored message is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

function jobFromHash(h: Record<string, string>): Omit<MailJob, 'mail'> & { mail?: OutgoingMail } {
  const job: Omit<MailJob, 'mail'> & { mail?: OutgoingMail } = {
    id: h.id!,
    bookingId: h.bookingId!,
    state: h.state as MailJobState,
    attempts: Number(h.attempts),
    createdAt: Number(h.createdAt),
    dueAt: Number(h.dueAt ?? h.createdAt),
  };
  if (h.mail !== undefined) job.mail = readMail(h.mail);
  if (h.lastError !== undefined) job.lastError = h.lastError;
  const lastAttemptAt = optionalNumber(h.lastAttemptAt);
  if (lastAttemptAt !== undefined) job.lastAttemptAt = lastAttemptAt;
  const sentAt = optionalNumber(h.sentAt);
  if (sentAt !== undefined) job.sentAt = sentAt;
  return job;
}

/**
 * The mail queue in Redis, shared by every confgate instance on that Redis. Each state change is
 * one Lua script, so a claim is atomic across instances and an outcome is recorded only by the
 * worker that holds the job's lease.
 */
export class RedisMailQueue implements MailQueue {
  constructor(private readonly redis: RedisClient) {}

  async enqueue(bookingId: string, mail: OutgoingMail, now: number): Promise<MailJob> {
    const id = randomUUID();
    await this.redis.eval(
      ENQUEUE,
      3,
      redisKeys.mailJob(id),
      redisKeys.mailDue(),
      redisKeys.mailLatest(bookingId),
      id,
      bookingId,
      JSON.stringify(mail),
      now,
      redisKeys.mailJob(''),
    );
    return { id, bookingId, mail, state: 'pending', attempts: 0, createdAt: now, dueAt: now };
  }

  async claimDue(now: number, leaseMs: number): Promise<ClaimedMailJob | undefined> {
    for (;;) {
      const claim = randomUUID();
      const h = hashToObject(
        await this.redis.eval(CLAIM, 1, redisKeys.mailDue(), now, leaseMs, claim, redisKeys.mailJob('')),
      );
      if (!h) return undefined;
      try {
        const job = jobFromHash({ mail: '', ...h });
        return { ...job, mail: job.mail!, claim, leaseUntil: job.dueAt };
      } catch (e) {
        if (!(e instanceof UnreadableMailError)) throw e;
        // A message no worker can send would otherwise come back after every lease, for ever.
        await this.settle(
          { id: h.id!, bookingId: h.bookingId!, claim },
          { state: 'failed', at: now, error: e.message },
        );
      }
    }
  }

  async settle(job: MailClaim, outcome: MailOutcome): Promise<boolean> {
    const reply = await this.redis.eval(
      SETTLE,
      3,
      redisKeys.mailJob(job.id),
      redisKeys.mailDue(),
      redisKeys.mailLatest(job.bookingId),
      job.id,
      job.claim,
      outcome.state,
      outcome.at,
      outcome.state === 'sent' ? '' : outcome.error,
      outcome.state === 'retrying' ? outcome.retryAt : '',
    );
    return reply === 1;
  }

  async status(bookingId: string): Promise<MailStatus> {
    const h = hashToObject(await this.redis.eval(STATUS, 1, redisKeys.mailLatest(bookingId), redisKeys.mailJob('')));
    return mailStatusOf(h ? jobFromHash(h) : undefined);
  }
}
