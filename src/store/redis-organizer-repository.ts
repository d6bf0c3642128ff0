import type { Organizer } from '../booking/booking';
import type { OrganizerRepository } from '../booking/organizer-repository';
import type { RedisClient } from './redis-connection';
import { redisKeys } from './redis-keys';

/** Organisers in Redis: the record, a token-hash index and a list. */
export class RedisOrganizerRepository implements OrganizerRepository {
  constructor(private readonly redis: RedisClient) {}

  async create(organizer: Organizer): Promise<void> {
    // MULTI so the organiser never exists without its token index, or the reverse.
    const result = await this.redis
      .multi()
      .set(redisKeys.organizer(organizer.id), JSON.stringify(organizer), 'NX')
      .set(redisKeys.organizerToken(organizer.tokenHash), organizer.id, 'NX')
      .zadd(redisKeys.organizers(), Date.parse(organizer.createdAt), organizer.id)
      .exec();
    if (!result || result[0]![1] !== 'OK' || result[1]![1] !== 'OK')
      throw new Error(`organizer ${organizer.id} already exists`);
  }

  async get(id: string): Promise<Organizer | undefined> {
    const json = await this.redis.get(redisKeys.organizer(id));
    return json === null ? undefined : (JSON.parse(json) as Organizer);
  }

  async findByTokenHash(tokenHash: string): Promise<Organizer | undefined> {
    const id = await this.redis.get(redisKeys.organizerToken(tokenHash));
    return id === null ? undefined : this.get(id);
  }

  async list(): Promise<Organizer[]> {
    const ids = await this.redis.zrangebyscore(redisKeys.organizers(), '-inf', '+inf');
    const found = await Promise.all(ids.map((id) => this.get(id)));
    return found.filter((o): o is Organizer => o !== undefined);
  }
}
