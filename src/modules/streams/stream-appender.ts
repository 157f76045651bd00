import type { AppendRequest, StreamsRepository } from './streams.repository.ts';

/** Postgres errors worth one more try: deadlock, serialization failure. */
const RETRYABLE = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 5;

export interface AppenderSettings {
  /** Most events in one statement. */
  readonly maxEvents: number;
  /** Most recipient rows in one statement (a chat message to 1,000 members counts 1,000). */
  readonly maxRecipients: number;
}

export const DEFAULT_APPENDER_SETTINGS: AppenderSettings = { maxEvents: 500, maxRecipients: 20_000 };

interface Pending {
  req: AppendRequest;
  resolve(seqs: Array<[string, number]>): void;
  reject(err: unknown): void;
}

/**
 * Group commit on one node: appends that arrive while a statement is in
 * flight wait and go together in the next one, so the number of statements
 * follows the database's latency, not the event rate, and an idle node adds
 * no delay. One statement at a time also means this node learns its seqs in
 * the order it appended, and emits them in that order.
 */
export class StreamAppender {
  private queue: Pending[] = [];
  private running = false;

  constructor(private readonly repo: StreamsRepository, private readonly settings: AppenderSettings = DEFAULT_APPENDER_SETTINGS) {}

  /** Appends one event to the streams of `userIds` (deduplicated); resolves with each user's seq once committed. */
  append(userIds: readonly string[], event: string, payload: unknown): Promise<Array<[string, number]>> {
    const req: AppendRequest = { userIds: [...new Set(userIds)], event, payload };
    if (req.userIds.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.queue.push({ req, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  /** Resolves once nothing is queued or in flight (shutdown). */
  async idle(): Promise<void> {
    while (this.running || this.queue.length) await new Promise((r) => setTimeout(r, 5));
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length) {
        const batch = this.take();
        try {
          const seqs = await this.withRetry(() => this.repo.append(batch.map((p) => p.req)));
          batch.forEach((p, i) => p.resolve(seqs[i]!));
        } catch (err) {
          for (const p of batch) p.reject(err);
        }
      }
    } finally {
      this.running = false;
    }
  }

  private take(): Pending[] {
    let recipients = 0;
    let n = 0;
    while (n < this.queue.length && n < this.settings.maxEvents) {
      recipients += this.queue[n]!.req.userIds.length;
      // The first always goes, however many recipients it has.
      if (n > 0 && recipients > this.settings.maxRecipients) break;
      n++;
    }
    return this.queue.splice(0, n);
  }

  private async withRetry<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        const code = (err as { code?: unknown } | null)?.code;
        if (attempt >= MAX_ATTEMPTS || typeof code !== 'string' || !RETRYABLE.has(code)) throw err;
        await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 10));
      }
    }
  }
}
