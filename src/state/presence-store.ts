import type { Clock } from '../core/clock.ts';

/**
 * A user's chosen status (`away`, `busy`, …) while they are connected. It is
 * transient by design: kept in shared state with a TTL, never in the
 * database, and cleared when the user goes offline. The in-process store
 * covers one node; the Redis store (redis/redis-presence-store.ts) the cluster.
 */
export interface PresenceStore {
  /** Sets the status for `ttlMs`; returns the one it replaced (undefined when none was set). */
  set(userId: string, status: string, ttlMs: number): Promise<string | undefined>;
  get(userId: string): Promise<string | undefined>;
  clear(userId: string): Promise<void>;
}

export class MemoryPresenceStore implements PresenceStore {
  private readonly entries = new Map<string, { status: string; expiresAt: number }>();

  constructor(private readonly clock: Clock) {}

  async set(userId: string, status: string, ttlMs: number): Promise<string | undefined> {
    const previous = await this.get(userId);
    this.entries.set(userId, { status, expiresAt: this.clock.now() + ttlMs });
    return previous;
  }

  async get(userId: string): Promise<string | undefined> {
    const entry = this.entries.get(userId);
    if (!entry) return undefined;
    if (entry.expiresAt > this.clock.now()) return entry.status;
    this.entries.delete(userId);
    return undefined;
  }

  async clear(userId: string): Promise<void> {
    this.entries.delete(userId);
  }
}
