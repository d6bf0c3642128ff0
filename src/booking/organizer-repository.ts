import type { Organizer } from './booking';

/** Organisers and the hashes of their bearer tokens. */
export interface OrganizerRepository {
  /** Saves a new organiser; its `tokenHash` becomes a way to find it. */
  create(organizer: Organizer): Promise<void>;
  get(id: string): Promise<Organizer | undefined>;
  findByTokenHash(tokenHash: string): Promise<Organizer | undefined>;
  list(): Promise<Organizer[]>;
}
