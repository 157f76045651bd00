import type { Logger } from '../../core/logger.ts';

/**
 * Runs `sweep` every `intervalMs` on every node. Deadlines live in the
 * database and every step of a sweep is a conditional update, so nodes never
 * act twice and a restarted node simply resumes. `intervalMs = 0` runs
 * nothing (tests call `sweep()` with a manual clock).
 */
export class TripSweeper {
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly sweep: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      this.running = this.sweep().catch((err: unknown) => this.log.warn({ err }, 'trip sweep failed'));
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a sweep in flight (the database closes next). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
