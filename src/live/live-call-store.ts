import type { RedisClient } from '../store/redis-connection';
import { redisKeys } from '../store/redis-keys';
import { toFields } from './stream-fields';

/**
 * What confgate knows about a call beyond admission's participant record: who is calling and how
 * (SIP From display name and user, source, transport, entry path, DTMF method, User-Agent,
 * RFC 3261 §20.41), and later its MCU. Strings only: it is a Redis hash.
 */
export interface CallDetail {
  callId: string;
  instanceId: string;
  /** Epoch ms of the INVITE, as a decimal string. */
  ringingAt: string;
  source?: string;
  transport?: string;
  /** `sip` or `h323`, from the `ringing` event. */
  protocol?: string;
  dialled?: string;
  displayName?: string;
  callingNumber?: string;
  userAgent?: string;
  dtmf?: string;
  /** Conference number entered so far. */
  number?: string;
  participantId?: string;
  bookingId?: string;
  mcu?: string;
  /** Epoch ms of the connection to the MCU. */
  connectedAt?: string;
}

/** A participant's detail outlives no call: a conference lasts at most 8 h plus margins. */
export const DETAIL_KEEP_MS = 10 * 3_600_000;

/**
 * The registry of calls in the IVR and the per-participant details, shared by every instance
 * (Redis) or held in this process. Each call is one step; calls whose instance died leave the
 * IVR list when their lease runs out.
 */
export interface LiveCallStore {
  /** Registers or updates a call still in the IVR, until `leaseUntil` (epoch ms). */
  putIvrCall(detail: Partial<CallDetail> & { callId: string }, leaseUntil: number): Promise<void>;
  /** The call was admitted: its detail becomes the participant's (merged with `extra`), and it leaves the IVR list. */
  promote(callId: string, participantId: string, extra: Partial<CallDetail>): Promise<void>;
  updateParticipant(participantId: string, fields: Partial<CallDetail>): Promise<void>;
  /** Forgets a call (refused, hung up, ended) and its participant detail. */
  forget(callId: string, participantId?: string): Promise<void>;
  /** Calls in the IVR whose lease has not run out, oldest first. */
  ivrCalls(now: number): Promise<CallDetail[]>;
  participantDetails(participantIds: readonly string[]): Promise<Map<string, CallDetail>>;
}

/** {@link LiveCallStore} on Redis. */
export class RedisLiveCallStore implements LiveCallStore {
  constructor(private readonly redis: RedisClient) {}

  async putIvrCall(detail: Partial<CallDetail> & { callId: string }, leaseUntil: number): Promise<void> {
    const key = redisKeys.ivrCall(detail.callId);
    await this.redis
      .multi()
      .hset(key, ...toFields(detail))
      .pexpireat(key, leaseUntil)
      .zadd(redisKeys.ivrCalls(), leaseUntil, detail.callId)
      .exec();
  }

  async promote(callId: string, participantId: string, extra: Partial<CallDetail>): Promise<void> {
    const call = await this.redis.hgetall(redisKeys.ivrCall(callId));
    const key = redisKeys.participantDetail(participantId);
    await this.redis
      .multi()
      .hset(key, ...toFields({ ...call, ...extra, callId, participantId }))
      .pexpire(key, DETAIL_KEEP_MS)
      .del(redisKeys.ivrCall(callId))
      .zrem(redisKeys.ivrCalls(), callId)
      .exec();
  }

  async updateParticipant(participantId: string, fields: Partial<CallDetail>): Promise<void> {
    const key = redisKeys.participantDetail(participantId);
    await this.redis
      .multi()
      .hset(key, ...toFields(fields))
      .pexpire(key, DETAIL_KEEP_MS)
      .exec();
  }

  async forget(callId: string, participantId?: string): Promise<void> {
    const m = this.redis.multi().del(redisKeys.ivrCall(callId)).zrem(redisKeys.ivrCalls(), callId);
    if (participantId) m.del(redisKeys.participantDetail(participantId));
    await m.exec();
  }

  async ivrCalls(now: number): Promise<CallDetail[]> {
    await this.redis.zremrangebyscore(redisKeys.ivrCalls(), '-inf', `(${now}`);
    const ids = await this.redis.zrange(redisKeys.ivrCalls(), '0', '999');
    const details = await this.hashes(ids.map(redisKeys.ivrCall));
    return details
      .filter((d): d is CallDetail => d !== undefined)
      .sort((a, b) => Number(a.ringingAt) - Number(b.ringingAt));
  }

  async participantDetails(participantIds: readonly string[]): Promise<Map<string, CallDetail>> {
    const details = await this.hashes(participantIds.map(redisKeys.participantDetail));
    const out = new Map<string, CallDetail>();
    participantIds.forEach((id, i) => {
      if (details[i]) out.set(id, details[i]!);
    });
    return out;
  }

  private async hashes(keys: string[]): Promise<Array<CallDetail | undefined>> {
    if (keys.length === 0) return [];
    const p = this.redis.pipeline();
    for (const k of keys) p.hgetall(k);
    const replies = (await p.exec()) ?? [];
    return replies.map(([err, h]) =>
      err || !h || Object.keys(h as object).length === 0 ? undefined : (h as unknown as CallDetail),
    );
  }
}

/** {@link LiveCallStore} in this process (no `REDIS_URL`). */
export class InProcessLiveCallStore implements LiveCallStore {
  private readonly calls = new Map<string, { detail: CallDetail; leaseUntil: number }>();
  private readonly participants = new Map<string, CallDetail>();

  async putIvrCall(detail: Partial<CallDetail> & { callId: string }, leaseUntil: number): Promise<void> {
    const prev = this.calls.get(detail.callId)?.detail;
    this.calls.set(detail.callId, { detail: { ...prev, ...(detail as CallDetail) }, leaseUntil });
  }

  async promote(callId: string, participantId: string, extra: Partial<CallDetail>): Promise<void> {
    const call = this.calls.get(callId)?.detail;
    this.calls.delete(callId);
    this.participants.set(participantId, { ...call, ...(extra as CallDetail), callId, participantId });
  }

  async updateParticipant(participantId: string, fields: Partial<CallDetail>): Promise<void> {
    const d = this.participants.get(participantId);
    if (d) Object.assign(d, fields);
  }

  async forget(callId: string, participantId?: string): Promise<void> {
    this.calls.delete(callId);
    if (participantId) this.participants.delete(participantId);
  }

  async ivrCalls(now: number): Promise<CallDetail[]> {
    for (const [id, c] of this.calls) if (c.leaseUntil < now) this.calls.delete(id);
    return [...this.calls.values()].map((c) => c.detail).sort((a, b) => Number(a.ringingAt) - Number(b.ringingAt));
  }

  async participantDetails(participantIds: readonly string[]): Promise<Map<string, CallDetail>> {
    const out = new Map<string, CallDetail>();
    for (const id of participantIds) {
      const d = this.participants.get(id);
      if (d) out.set(id, d);
    }
    return out;
  }
}
