/**
 * The presence module (family F): contacts (stored, symmetric)
 * and presence (shared state only, never the database). Other code uses only
 * what is exported here.
 */
import type { Clock } from '../../core/clock.ts';
import type { Publisher } from '../../core/domain-events.ts';
import type { Logger } from '../../core/logger.ts';
import type { PresenceStore } from '../../state/presence-store.ts';
import type { Database } from '../../storage/index.ts';
import { ContactsRepository } from './contacts.repository.ts';
import type { PresenceEvents } from './presence-events.ts';
import { PresenceService } from './presence.service.ts';

export type { PresenceEvents } from './presence-events.ts';
export { PresenceService } from './presence.service.ts';

/** A chosen status lasts a day without updates unless the user goes offline first. */
export const DEFAULT_STATUS_TTL_MS = 24 * 60 * 60 * 1000;

export interface PresenceModuleDeps {
  db: Database;
  store: PresenceStore;
  events: Publisher<PresenceEvents>;
  clock: Clock;
  log: Logger;
  nameOf(userId: string): Promise<string | undefined>;
  statusTtlMs?: number;
}

export function createPresenceModule(deps: PresenceModuleDeps): { service: PresenceService } {
  const service = new PresenceService({
    contacts: new ContactsRepository(deps.db), store: deps.store, events: deps.events, clock: deps.clock, log: deps.log, nameOf: deps.nameOf, statusTtlMs: deps.statusTtlMs ?? DEFAULT_STATUS_TTL_MS,
  });
  return { service };
}
