import type { Logger } from '../../core/logger.ts';
import type { WriteBehindObserver } from '../locations/index.ts';
import type { PositionReport, VehiclesRepository } from './vehicles.repository.ts';

/**
 * Vehicles moved by their drivers' fixes: only the latest position per
 * vehicle is kept and written every `flushMs` in one statement, so a fleet
 * reporting every second costs one UPDATE per interval, not one per fix.
 * The map holds one entry per vehicle, so it is bounded by the fleet's size.
 * (The full track is in the location history already.)
 */
export class VehiclePositionWriter {
  private pending = new Map<string, PositionReport>();
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly repo: VehiclesRepository,
    private readonly flushMs: number,
    private readonly log: Logger,
    private readonly observer: WriteBehindObserver = {},
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.flushMs).unref();
  }

  add(vehicleId: string, position: PositionReport): void {
    const current = this.pending.get(vehicleId);
    if (!current || current.at < position.at) this.pending.set(vehicleId, position);
  }

  async flush(): Promise<void> {
    await this.inFlight;
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    const started = performance.now();
    this.inFlight = this.repo
      .movePositions([...batch].map(([vehicleId, p]) => ({ vehicleId, ...p })))
      .then(() => this.observer.batch?.(batch.size, (performance.now() - started) / 1000, true))
      .catch((err: unknown) => {
        this.observer.batch?.(batch.size, (performance.now() - started) / 1000, false);
        // Positions are superseded by the next fix anyway; keep the newest of each for one retry.
        for (const [id, p] of batch) this.add(id, p);
        this.log.warn({ err, vehicles: batch.size }, 'vehicle position flush failed; will retry');
      })
      .finally(() => (this.inFlight = undefined));
    await this.inFlight;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
