import type { Logger } from '../../core/logger.ts';
import type { HistoryRow, LocationHistoryRepository } from './location-history.repository.ts';

export interface HistoryWriterSettings {
  /** Flush at least this often. */
  flushMs: number;
  /** Flush as soon as this many rows wait; also the most rows one INSERT carries. */
  batchRows: number;
  /** Rows kept while the database is slow or down; beyond it new rows are dropped and counted. */
  maxBuffered: number;
}

/**
 * Buffers fixes and writes them in batches: one multi-row INSERT every
 * `flushMs` or every `batchRows` rows, one flush in flight at a time. The
 * buffer is bounded, so a database outage costs history, never memory; rows
 * of a failed flush are retried on the next one.
 */
export class HistoryWriter {
  private buffer: HistoryRow[] = [];
  private inFlight: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private dropped = 0;
  private lastDropLog = 0;

  constructor(
    private readonly repo: LocationHistoryRepository,
    private readonly settings: HistoryWriterSettings,
    private readonly log: Logger,
    private readonly onDrop: (n: number) => void = () => undefined,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.settings.flushMs).unref();
  }

  get pending(): number {
    return this.buffer.length;
  }

  add(row: HistoryRow): void {
    if (this.buffer.length >= this.settings.maxBuffered) return this.drop(1);
    this.buffer.push(row);
    if (this.buffer.length >= this.settings.batchRows && !this.inFlight) void this.flush();
  }

  /** Writes everything buffered so far; resolves when it is stored (or the attempt failed and the rows were kept). */
  flush(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    if (this.buffer.length === 0) return Promise.resolve();
    this.inFlight = this.drain().finally(() => {
      this.inFlight = undefined;
      if (this.again) {
        this.again = false;
        void this.flush();
      }
    });
    return this.inFlight;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.inFlight;
    await this.flush();
  }

  private async drain(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, this.settings.batchRows);
      try {
        await this.repo.insertBatch(batch);
      } catch (err) {
        // Keep the rows (oldest first) for the next attempt, within the bound.
        const room = this.settings.maxBuffered - this.buffer.length;
        const kept = batch.slice(0, Math.max(0, room));
        this.buffer = kept.concat(this.buffer);
        if (kept.length < batch.length) this.drop(batch.length - kept.length);
        this.log.warn({ err, rows: batch.length }, 'location history flush failed; will retry');
        return;
      }
    }
  }

  private drop(n: number): void {
    this.dropped += n;
    this.onDrop(n);
    const now = Date.now();
    if (now - this.lastDropLog > 10_000) {
      this.lastDropLog = now;
      this.log.warn({ dropped: this.dropped, buffered: this.buffer.length }, 'location history buffer full; dropping fixes');
    }
  }
}
