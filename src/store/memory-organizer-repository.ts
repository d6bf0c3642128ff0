import type { Organizer } from '../booking/booking';
import type { OrganizerRepository } from '../booking/organizer-repository';

/** Organisers in this process's memory. */
export class MemoryOrganizerRepository implements OrganizerRepository {
  private readonly byId = new Map<string, Organizer>();
  private readonly byTokenHash = new Map<string, string>();

  async create(organizer: Organizer): Promise<void> {
    if (this.byId.has(organizer.id) || this.byTokenHash.has(organizer.tokenHash))
      throw new Error(`organizer ${organizer.id} already exists`);
    this.byId.set(organizer.id, { ...organizer });
    this.byTokenHash.set(organizer.tokenHash, organizer.id);
  }

  async get(id: string): Promise<Organizer | undefined> {
    const o = this.byId.get(id);
    return o && { ...o };
  }

  async findByTokenHash(tokenHash: string): Promise<Organizer | undefined> {
    const id = this.byTokenHash.get(tokenHash);
    return id === undefined ? undefined : this.get(id);
  }

  async list(): Promise<Organizer[]> {
    return [...this.byId.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map((o) => ({ ...o }));
  }
}
