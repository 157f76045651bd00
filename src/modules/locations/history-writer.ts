import type { Logger } from '../../core/logger.ts';
import type { HistoryRow, LocationHistoryRepository } from './location-history.repository.ts';

export interface HistoryWriterSettings {
  /** Flush at least this often. */
  flushMs: number;
  /** Flush as soon as this many rows wait; also the most rows one INSERT carries. */
  batchRows: number;
  /** Rows kept while the database is slow or down; beyond it the oldest are dropped and counted. */
  maxBuffered: number;
}

/** What a write-behind writer reports, for metrics (src/families/positions.ts). */
export interface WriteBehindObserver {
  /** Rows given up because the queue was full. */
  dropped?(rows: number): void;
  /** One statement: how many rows, how long it took, whether it was stored. */
  batch?(rows: number, seconds: number, ok: boolean): void;
}

/** The write side of the position history, as the pipeline sees it. */
export interface PositionWriter {
  add(row: HistoryRow): void;
  /** Writes everything queued so far. */
  flush(): Promise<void>;
  readonly pending: number;
}

/**
 * Buffers fixes and writes them in batches: one multi-row INSERT every
 * `flushMs` or every `batchRows` rows, one flush in flight at a time, so no
 * fix waits for the database. The queue is bounded: while the database is
 * slow or down the OLDEST rows are dropped (and counted), so an outage costs
 * the start of the gap in the history, never memory, and the track resumes
 * with the newest fixes. Rows of a failed flush are retried on the next one.
 */
export class HistoryWriter implements PositionWriter {
  /** Queued rows are `queue[head…]`; dropping the oldest only moves `head` (no O(n) shift per fix). */
  private queue: HistoryRow[] = [];
  private head = 0;
  private inFlight: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private dropped = 0;
  private lastDropLog = 0;

  constructor(
    private readonly repo: LocationHistoryRepository,
    private readonly settings: HistoryWriterSettings,
    private readonly log: Logger,
    private readonly observer: WriteBehindObserver = {},
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.settings.flushMs).unref();
  }

  get pending(): number {
    return this.queue.length - this.head;
  }

  add(row: HistoryRow): void {
    if (this.pending >= this.settings.maxBuffered) this.dropOldest(1);
    this.queue.push(row);
    if (this.pending >= this.settings.batchRows && !this.inFlight) void this.flush();
  }

  /** Writes everything buffered so far; resolves when it is stored (or the attempt failed and the rows were kept). */
  flush(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    if (this.pending === 0) return Promise.resolve();
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

  private take(n: number): HistoryRow[] {
    const batch = this.queue.slice(this.head, this.head + n);
    this.head += batch.length;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return batch;
  }

  private async drain(): Promise<void> {
    while (this.pending > 0) {
      const batch = this.take(this.settings.batchRows);
      const started = performance.now();
      try {
        await this.repo.insertBatch(batch);
        this.observer.batch?.(batch.length, (performance.now() - started) / 1000, true);
      } catch (err) {
        this.observer.batch?.(batch.length, (performance.now() - started) / 1000, false);
        // Back in front of what arrived meanwhile, in time order; the bound then drops the oldest.
        this.queue = batch.concat(this.queue.slice(this.head));
        this.head = 0;
        const over = this.pending - this.settings.maxBuffered;
        if (over > 0) this.dropOldest(over);
        this.log.warn({ err, rows: batch.length }, 'location history flush failed; will retry');
        return;
      }
    }
  }

  private dropOldest(n: number): void {
    this.head += n;
    this.dropped += n;
    this.observer.dropped?.(n);
    const now = Date.now();
    if (now - this.lastDropLog > 10_000) {
      this.lastDropLog = now;
      this.log.warn({ dropped: this.dropped, buffered: this.pending }, 'location history queue full; dropping the oldest fixes');
    }
  }
}
