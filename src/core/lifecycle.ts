import type { Logger } from './logger.ts';

/** Something with a start and a stop: a sweeper, a batch writer, a timer. */
export interface LifecycleEntry {
  readonly name: string;
  start?(): void | Promise<void>;
  stop?(): void | Promise<void>;
}

/** A stop still running after this long is named in the log (once): a shutdown that overruns its deadline says where it waits. */
export const SLOW_STOP_MS = 5_000;

/**
 * The one start/stop list of a node. Entries start in the order they were
 * added and stop in reverse, so what a family depends on (added earlier)
 * outlives it. A failing stop is logged and the others still run: shutdown
 * must reach the database close.
 */
export class Lifecycle {
  private readonly entries: LifecycleEntry[] = [];

  constructor(private readonly log: Logger, private readonly slowStopMs = SLOW_STOP_MS) {}

  add(entry: LifecycleEntry): void {
    this.entries.push(entry);
  }

  async start(): Promise<void> {
    for (const entry of this.entries) await entry.start?.();
  }

  async stop(): Promise<void> {
    for (const entry of [...this.entries].reverse()) {
      const slow = setTimeout(() => this.log.warn({ entry: entry.name, ms: this.slowStopMs }, 'stop still running'), this.slowStopMs).unref();
      try {
        await entry.stop?.();
      } catch (err) {
        this.log.error({ err, entry: entry.name }, 'stop failed');
      } finally {
        clearTimeout(slow);
      }
    }
  }
}
