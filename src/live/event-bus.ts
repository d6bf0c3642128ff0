import { Cluster } from 'ioredis';
import type { Logger } from '../log/logger';
import type { RedisClient } from '../store/redis-connection';
import { redisChannels, redisKeys } from '../store/redis-keys';
import { parseCallEvent, type CallEvent, type CallEventSink, type StoredCallEvent } from '../call-log/call-events';
import { compareStreamIds } from './stream-id';

/**
 * The call events of every instance: published live to every subscriber, and kept (capped) so a
 * viewer that lost its connection resumes from the id it last saw.
 */
export interface CallEventBus extends CallEventSink {
  /** Like `publish`, but resolves with the event's id once it is stored (rejects if it could not be). */
  append(event: CallEvent): Promise<string>;
  /** Every event published by any instance from now on, in stream order. Returns the unsubscribe function. */
  subscribe(listener: (stored: StoredCallEvent) => void): Promise<() => void>;
  /** Stored events after `afterId` (exclusive), oldest first, at most `count`. */
  since(afterId: string, count: number): Promise<StoredCallEvent[]>;
  close(): Promise<void>;
}

/**
 * XADD to the capped stream and PUBLISH with the new id in one script, so the channel's order is
 * the stream's order and a resuming viewer can merge both without gaps or doubles.
 */
const APPEND_SCRIPT = `
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'event', ARGV[2])
redis.call('PUBLISH', ARGV[3], id .. ' ' .. ARGV[2])
return id`;

type AppendingRedis = RedisClient & {
  confgateAppendEvent(stream: string, maxLength: number, json: string, channel: string): Promise<string>;
};

/** The bus on Redis: shared by every instance and every viewer. */
export class RedisCallEventBus implements CallEventBus {
  private subscriber: RedisClient | undefined;
  private readonly listeners = new Set<(stored: StoredCallEvent) => void>();
  private readonly redis: AppendingRedis;
  /** Id of the last event delivered to listeners: where a resync after a dropped subscription starts. */
  private lastId = '0-0';
  /** Set while reading the stream after a reconnection; channel messages wait in `held` meanwhile. */
  private resyncing = false;
  private held: StoredCallEvent[] = [];

  constructor(
    redis: RedisClient,
    private readonly maxLength: number,
    private readonly log: Logger,
  ) {
    if (!('confgateAppendEvent' in redis))
      redis.defineCommand('confgateAppendEvent', { numberOfKeys: 1, lua: APPEND_SCRIPT });
    this.redis = redis as AppendingRedis;
  }

  publish(event: CallEvent): void {
    this.append(event).catch((err: unknown) =>
      this.log.error({ err, kind: event.kind, callId: event.callId }, 'call event not published'),
    );
  }

  append(event: CallEvent): Promise<string> {
    return this.redis.confgateAppendEvent(
      redisKeys.events(),
      this.maxLength,
      JSON.stringify(event),
      redisChannels.events,
    );
  }

  async subscribe(listener: (stored: StoredCallEvent) => void): Promise<() => void> {
    if (!this.subscriber) {
      // A connection in subscriber mode can run no other command: a dedicated one, shared by all listeners.
      const sub = this.redis instanceof Cluster ? this.redis.duplicate() : this.redis.duplicate();
      this.subscriber = sub;
      sub.on('message', (_channel: string, message: string) => this.dispatch(message));
      // Pub/sub drops what is published while the connection is down: after a reconnection, read those from the stream.
      let connected = false;
      sub.on('ready', () => {
        if (connected) void this.resync();
        connected = true;
      });
      await sub.subscribe(redisChannels.events);
      const [newest] = await this.redis.xrevrange(redisKeys.events(), '+', '-', 'COUNT', 1);
      if (newest && compareStreamIds(newest[0], this.lastId) > 0) this.lastId = newest[0];
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private dispatch(message: string): void {
    const space = message.indexOf(' ');
    const event = space > 0 ? parseCallEvent(message.slice(space + 1)) : undefined;
    if (!event) {
      this.log.warn('invalid call event on the channel; ignored');
      return;
    }
    const stored = { id: message.slice(0, space), event };
    if (this.resyncing) this.held.push(stored);
    else this.deliver(stored);
  }

  /** Hands an event to every listener once, in stream order (a resync and the channel may both carry it). */
  private deliver(stored: StoredCallEvent): void {
    if (compareStreamIds(stored.id, this.lastId) <= 0) return;
    this.lastId = stored.id;
    for (const l of this.listeners) l(stored);
  }

  private async resync(): Promise<void> {
    if (this.resyncing) return;
    this.resyncing = true;
    try {
      for (;;) {
        const page = await this.since(this.lastId, 500);
        page.forEach((s) => this.deliver(s));
        if (page.length < 500) break;
      }
      this.log.info({ lastId: this.lastId }, 'event subscription restored; missed events read from the stream');
    } catch (err) {
      this.log.error({ err }, 'events missed during the reconnection could not be read');
    } finally {
      this.resyncing = false;
      this.held.splice(0).forEach((s) => this.deliver(s));
    }
  }

  async since(afterId: string, count: number): Promise<StoredCallEvent[]> {
    const entries = await this.redis.xrange(redisKeys.events(), `(${afterId}`, '+', 'COUNT', count);
    const out: StoredCallEvent[] = [];
    for (const [id, fields] of entries) {
      const event = parseCallEvent(fields[1] ?? '');
      if (event) out.push({ id, event });
    }
    return out;
  }

  async close(): Promise<void> {
    this.listeners.clear();
    const sub = this.subscriber;
    this.subscriber = undefined;
    if (sub) await sub.quit().catch(() => sub.disconnect());
  }
}

/** The bus in this process (no `REDIS_URL`): the last `maxLength` events in a ring, ids shaped like stream ids. */
export class InProcessCallEventBus implements CallEventBus {
  private readonly ring: StoredCallEvent[] = [];
  private readonly listeners = new Set<(stored: StoredCallEvent) => void>();
  private lastMs = 0;
  private seq = 0;

  constructor(
    private readonly maxLength: number,
    private readonly now: () => number = Date.now,
  ) {}

  publish(event: CallEvent): void {
    void this.append(event);
  }

  async append(event: CallEvent): Promise<string> {
    const ms = Math.max(this.now(), this.lastMs);
    this.seq = ms === this.lastMs ? this.seq + 1 : 0;
    this.lastMs = ms;
    const stored = { id: `${ms}-${this.seq}`, event };
    this.ring.push(stored);
    if (this.ring.length > this.maxLength) this.ring.shift();
    for (const l of this.listeners) l(stored);
    return stored.id;
  }

  async subscribe(listener: (stored: StoredCallEvent) => void): Promise<() => void> {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async since(afterId: string, count: number): Promise<StoredCallEvent[]> {
    return this.ring.filter((s) => compareStreamIds(s.id, afterId) > 0).slice(0, count);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}

/** One sink that hands each event to several (the bus and this instance's metrics, say). */
export function fanOut(...sinks: CallEventSink[]): CallEventSink {
  return { publish: (event) => sinks.forEach((s) => s.publish(event)) };
}
