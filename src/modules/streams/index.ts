/**
 * Durable per-user event streams (PROTOCOL.md §6): what a user must still get
 * after a reconnect is appended to their stream, with a per-user seq, before
 * it is emitted; a reconnecting client reads what it missed from here. Knows
 * nothing about sockets: the realtime layer (src/realtime/streams/) emits.
 */
import type { Clock } from '../../core/clock.ts';
import type { Queryable } from '../../storage/index.ts';
import { StreamAppender, type AppenderSettings } from './stream-appender.ts';
import { StreamsRepository, type StreamEntry, type StreamPosition } from './streams.repository.ts';

export { StreamAppender, DEFAULT_APPENDER_SETTINGS, type AppenderSettings } from './stream-appender.ts';
export { StreamsRepository, type StreamEntry, type StreamPosition, type AppendRequest } from './streams.repository.ts';

export interface StreamsSettings {
  /** Entries older than this are purged. */
  readonly retentionMs: number;
}

/** Rows per purge statement: small enough that a purge never holds locks for long. */
const PURGE_BATCH = 5_000;

/** The streams of every user: append (group-committed), read, purge. */
export class StreamsService {
  private readonly repo: StreamsRepository;
  private readonly appender: StreamAppender;

  constructor(db: Queryable, private readonly clock: Clock, private readonly settings: StreamsSettings, appender?: AppenderSettings) {
    this.repo = new StreamsRepository(db);
    this.appender = new StreamAppender(this.repo, appender);
  }

  /** Appends `event` to each user's stream; resolves with `[userId, seq]` once committed. */
  append(userIds: readonly string[], event: string, payload: unknown): Promise<Array<[string, number]>> {
    return this.appender.append(userIds, event, payload);
  }

  /** Up to `limit` entries after `afterSeq` (and at most `upToSeq`), oldest first. */
  read(userId: string, afterSeq: number, limit: number, upToSeq?: number): Promise<StreamEntry[]> {
    return this.repo.read(userId, afterSeq, limit, upToSeq);
  }

  position(userId: string): Promise<StreamPosition> {
    return this.repo.position(userId);
  }

  /** Deletes everything older than the retention, in batches; returns the rows deleted. */
  async purge(): Promise<number> {
    const before = new Date(this.clock.now() - this.settings.retentionMs);
    let total = 0;
    for (;;) {
      const n = await this.repo.purgeBatch(before, PURGE_BATCH);
      total += n;
      if (n === 0) return total;
    }
  }

  /** Waits for appends in flight (shutdown). */
  idle(): Promise<void> {
    return this.appender.idle();
  }
}
