import { Cluster } from 'ioredis';
import { EventEmitter } from 'node:events';
import { z } from 'zod';
import type { Logger } from '../log/logger';
import type { RedisClient } from '../store/redis-connection';
import { redisChannels } from '../store/redis-keys';

/** An admin's order for whichever instance holds the legs: kick one participant, or end a whole conference. */
export const adminCommandSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('kick'),
    participantId: z.string().min(1).max(64),
    by: z.string().min(1).max(64),
    at: z.number().int(),
  }),
  z.object({
    kind: z.literal('end'),
    bookingId: z.string().min(1).max(64),
    by: z.string().min(1).max(64),
    at: z.number().int(),
  }),
]);
export type AdminCommand = z.infer<typeof adminCommandSchema>;

/**
 * What an instance holding legs does with a command. ROUTING passes its dial-in here:
 * `kick: (id) => dialIn.kick(id)` (BYE both legs, RFC 3261 §15.1.1) and
 * `end: (bookingId) => dialIn.legs.hangUpBooking(bookingId, 'kick')`. Both answer what they did
 * on this instance (false / 0 when the legs are elsewhere: another instance acts on the same message).
 */
export interface AdminCommandHandler {
  kick(participantId: string): boolean;
  end(bookingId: string): number;
}

/** Sends commands to every instance, and delivers them to this one's handler. */
export interface AdminCommandChannel {
  /** Resolves with the number of instances listening (Redis `PUBLISH` reply). */
  send(command: AdminCommand): Promise<number>;
  /** Runs `handler` for each command received; resolves with a function that stops listening. */
  listen(handler: AdminCommandHandler): Promise<() => Promise<void>>;
}

function apply(handler: AdminCommandHandler, command: AdminCommand, log: Logger): void {
  try {
    const did = command.kind === 'kick' ? handler.kick(command.participantId) : handler.end(command.bookingId);
    if (did) log.info({ command }, 'admin command applied to this instance');
  } catch (err) {
    log.error({ err, command }, 'admin command failed');
  }
}

/** Commands over Redis pub/sub: every instance subscribed to `confgate:commands` gets each one. */
export class RedisAdminCommandChannel implements AdminCommandChannel {
  constructor(
    private readonly redis: RedisClient,
    private readonly log: Logger,
  ) {}

  send(command: AdminCommand): Promise<number> {
    return this.redis.publish(redisChannels.commands, JSON.stringify(adminCommandSchema.parse(command)));
  }

  async listen(handler: AdminCommandHandler): Promise<() => Promise<void>> {
    // A subscribed connection can run nothing else: one of its own.
    const sub = this.redis instanceof Cluster ? this.redis.duplicate() : this.redis.duplicate();
    sub.on('message', (_channel: string, message: string) => {
      let parsed: ReturnType<typeof adminCommandSchema.safeParse>;
      try {
        parsed = adminCommandSchema.safeParse(JSON.parse(message));
      } catch {
        parsed = adminCommandSchema.safeParse(undefined);
      }
      if (!parsed.success) return this.log.warn('invalid admin command on the channel; ignored');
      apply(handler, parsed.data, this.log);
    });
    await sub.subscribe(redisChannels.commands);
    return async () => {
      await sub.quit().catch(() => sub.disconnect());
    };
  }
}

/** Commands within this process (no `REDIS_URL`: the only instance holds every leg). */
export class InProcessAdminCommandChannel implements AdminCommandChannel {
  private readonly emitter = new EventEmitter();

  constructor(private readonly log: Logger) {}

  async send(command: AdminCommand): Promise<number> {
    const listeners = this.emitter.listenerCount('command');
    this.emitter.emit('command', adminCommandSchema.parse(command));
    return listeners;
  }

  async listen(handler: AdminCommandHandler): Promise<() => Promise<void>> {
    const l = (c: AdminCommand): void => apply(handler, c, this.log);
    this.emitter.on('command', l);
    return async () => {
      this.emitter.off('command', l);
    };
  }
}
