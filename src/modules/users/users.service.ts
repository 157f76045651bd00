import type { Publisher } from '../../core/domain-events.ts';
import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import type { UserProfile } from '../../protocol/http.ts';
import type { UserStatus } from '../../protocol/families/users.ts';
import type { ProfileWrite, UsersRepository, WriteResult } from './users.repository.ts';

/** What the users module reports; the delivery layer turns these into emits. */
export interface UsersEvents {
  'user.status_changed': { userId: string; status: UserStatus; reason: string; at: string };
  'user.profile_changed': { userId: string; changes: string[]; at: string };
}

const PROFILE_FIELDS = ['role', 'name', 'phone', 'rating', 'vehicle'] as const;

/**
 * Profiles and account status. Reads go through a short-lived cache (profiles
 * are read at every connection and by every trip); writes invalidate it.
 */
export class UsersService {
  private readonly cache = new Map<string, { profile: UserProfile | null; until: number }>();
  /** Invalidation sequence: a read that started before an invalidation of its id must not fill the cache. */
  private sequence = 0;
  private readonly invalidatedAt = new Map<string, number>();

  constructor(
    private readonly repo: UsersRepository,
    private readonly events: Publisher<UsersEvents>,
    private readonly clock: Clock,
    private readonly cacheTtlMs: number,
  ) {}

  async get(id: string): Promise<UserProfile | null> {
    const hit = this.cache.get(id);
    const now = this.clock.now();
    if (hit && hit.until > now) return hit.profile;
    const readStartedAt = this.sequence;
    const profile = await this.repo.get(id);
    if (this.cacheTtlMs > 0 && (this.invalidatedAt.get(id) ?? -1) < readStartedAt) {
      if (this.cache.size > 50_000) this.cache.clear();
      this.cache.set(id, { profile, until: now + this.cacheTtlMs });
    }
    return profile;
  }

  async require(id: string): Promise<UserProfile> {
    const user = await this.get(id);
    if (!user) throw new AppError('NOT_FOUND', `User ${id} not found`);
    return user;
  }

  /** Drops the cached profile (after a write here, or a write announced by another node). */
  invalidate(id: string): void {
    this.cache.delete(id);
    if (this.invalidatedAt.size > 50_000) this.invalidatedAt.clear();
    this.invalidatedAt.set(id, ++this.sequence);
  }

  async upsert(id: string, input: Required<Pick<ProfileWrite, 'role' | 'name'>> & ProfileWrite): Promise<UserProfile> {
    const result = await this.repo.upsert(id, input);
    this.afterWrite(result, input);
    return result.user;
  }

  async update(id: string, input: ProfileWrite): Promise<UserProfile> {
    const result = await this.repo.update(id, input);
    if (!result) throw new AppError('NOT_FOUND', `User ${id} not found`);
    this.afterWrite(result, input);
    return result.user;
  }

  private afterWrite({ user, previousStatus }: WriteResult, input: ProfileWrite): void {
    this.invalidate(user.id);
    const at = user.updatedAt;
    const changes = PROFILE_FIELDS.filter((f) => input[f] !== undefined);
    if (previousStatus !== null && changes.length) this.events.publish('user.profile_changed', { userId: user.id, changes: [...changes], at });
    // A user with no profile yet may already hold sockets (a valid token is enough), so a
    // profile created as suspended or inactive is a change from the implicit 'active'.
    if ((previousStatus ?? 'active') !== user.status) {
      this.events.publish('user.status_changed', { userId: user.id, status: user.status, reason: user.statusReason ?? '', at });
    }
  }
}
