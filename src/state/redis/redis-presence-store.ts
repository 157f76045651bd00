import type { PresenceStore } from '../presence-store.ts';
import type { RedisClient } from './redis-client.ts';

/** Presence statuses on Redis: one string key per user with a TTL (`SET … PX … GET` swaps and reads in one atomic step). */
export class RedisPresenceStore implements PresenceStore {
  constructor(
    private readonly client: RedisClient,
    private readonly prefix = 'livegate:presence:',
  ) {}

  async set(userId: string, status: string, ttlMs: number): Promise<string | undefined> {
    const previous = await this.client.sendCommand(['SET', this.prefix + userId, status, 'PX', String(Math.max(1, Math.round(ttlMs))), 'GET']);
    return typeof previous === 'string' ? previous : undefined;
  }

  async get(userId: string): Promise<string | undefined> {
    return (await this.client.get(this.prefix + userId)) ?? undefined;
  }

  async clear(userId: string): Promise<void> {
    await this.client.del(this.prefix + userId);
  }
}
