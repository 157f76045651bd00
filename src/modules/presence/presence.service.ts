import { isoNow, toIso, type Clock } from '../../core/clock.ts';
import type { Publisher } from '../../core/domain-events.ts';
import { AppError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import { isPresenceStatus, PRESENCE_STATUSES, type ContactsView, type FriendPresenceChangedPayload } from '../../protocol/families/presence.ts';
import type { PresenceStore } from '../../state/presence-store.ts';
import type { ContactsRepository } from './contacts.repository.ts';
import type { PresenceEvents } from './presence-events.ts';
import { KeyedQueue } from './keyed-queue.ts';

export interface PresenceServiceDeps {
  contacts: ContactsRepository;
  store: PresenceStore;
  events: Publisher<PresenceEvents>;
  clock: Clock;
  log: Logger;
  /** The name `user:online` carries when the session did not give one (profile lookup). */
  nameOf(userId: string): Promise<string | undefined>;
  /** How long a chosen status outlives its last update (it is cleared anyway when the user goes offline). */
  statusTtlMs: number;
}

/**
 * Contacts and presence. Whether a user is online is decided by the
 * connection registry (first socket in, last socket out); this service is
 * told and reports it to the user's contacts. Knows nothing about sockets.
 */
export class PresenceService {
  /** One user's changes are reported in the order they happened. */
  private readonly perUser = new KeyedQueue();

  constructor(private readonly d: PresenceServiceDeps) {}

  /** Replaces the user's contacts; symmetric (each contact gets the user, a dropped one loses them). */
  async setContacts(userId: string, contactIds: readonly string[]): Promise<ContactsView> {
    const unique = [...new Set(contactIds)].sort();
    if (unique.includes(userId)) {
      throw new AppError('VALIDATION_ERROR', 'Invalid request at contactIds: a user cannot be their own contact', { field: 'contactIds' });
    }
    await this.d.contacts.replace(userId, unique, isoNow(this.d.clock));
    return { userId, contactIds: unique };
  }

  contactsOf(userId: string): Promise<string[]> {
    return this.d.contacts.list(userId);
  }

  /**
   * The user's chosen status, for their contacts. A status equal to the
   * current one (no status set counts as `online`) is answered but not
   * broadcast again.
   */
  updateStatus(userId: string, status: string): Promise<FriendPresenceChangedPayload> {
    if (!isPresenceStatus(status)) {
      return Promise.reject(new AppError('INVALID_STATUS', `Invalid status: use one of ${PRESENCE_STATUSES.join(', ')}`, { allowed: [...PRESENCE_STATUSES] }));
    }
    return this.perUser.run(userId, async () => {
      const previous = (await this.d.store.set(userId, status, this.d.statusTtlMs)) ?? 'online';
      const change: FriendPresenceChangedPayload = status === 'offline' ? { userId, presence: status, lastSeen: isoNow(this.d.clock) } : { userId, presence: status };
      if (previous !== status) this.d.events.publish('presence.changed', { ...change, contactIds: await this.contactsOf(userId) });
      return change;
    });
  }

  /** The registry saw the user's first socket; `name` from the session when it has one. */
  wentOnline(userId: string, name?: string): Promise<void> {
    return this.report(userId, async () => {
      const shown = name ?? (await this.d.nameOf(userId).catch(() => undefined)) ?? userId;
      this.d.events.publish('user.online', { userId, name: shown, contactIds: await this.contactsOf(userId) });
    });
  }

  /** The registry saw the user's last socket go (closed, or expired with its node at `lastSeen`, epoch ms). */
  wentOffline(userId: string, lastSeen: number): Promise<void> {
    return this.report(userId, async () => {
      // A chosen status ends with the session: the next session starts `online`.
      await this.d.store.clear(userId);
      this.d.events.publish('user.offline', { userId, lastSeen: toIso(lastSeen), contactIds: await this.contactsOf(userId) });
    });
  }

  /** Waits for reports in flight (before storage closes). */
  drain(): Promise<void> {
    return this.perUser.drain();
  }

  /** Presence reports are best effort: a failed one is logged, never thrown at the session that caused it. */
  private report(userId: string, task: () => Promise<void>): Promise<void> {
    return this.perUser.run(userId, task).catch((err: unknown) => this.d.log.warn({ err, userId }, 'presence report failed'));
  }
}
