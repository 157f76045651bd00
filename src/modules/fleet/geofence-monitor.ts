import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../core/logger.ts';
import { compileShape, type CompiledShape, type Position } from './geofence-geometry.ts';
import type { FleetEvents } from './fleet-events.ts';
import type { Publisher } from '../../core/domain-events.ts';
import type { Geofence, GeofencesRepository } from './geofences.repository.ts';

export interface GeofenceSettings {
  /**
   * Hysteresis: a subject enters when it is inside the boundary and leaves
   * only once it is more than this many metres outside, so GPS jitter along
   * the boundary never flaps.
   */
  marginM: number;
  /** Fences created or deleted on another node are seen within this. */
  refreshMs: number;
}

interface CompiledFence { fence: Geofence; shape: CompiledShape }

/** Who moved: a driver, a vehicle, or a driver and the vehicle they drive (one fix). */
export interface Mover { driverId?: string | undefined; vehicleId?: string | undefined }


/**
 * Entering and leaving geofences, for drivers and vehicles. Whether a subject
 * is inside a fence is stored in `geofence_presence`; a crossing is announced
 * only by the node whose conditional write flips the stored state, so two
 * nodes (or two concurrent fixes) never announce it twice. Each node keeps a
 * snapshot of the fences and of who is inside which, read in two queries
 * every `refreshMs` (crossings made here apply at once), so a fix costs no
 * database read. A driver's fix moves the driver and the vehicle they drive;
 * when both cross together they share one event.
 */
export class GeofenceMonitor {
  private fences: CompiledFence[] = [];
  private loadedAt = -Infinity;
  private loading: Promise<void> | undefined;
  /** subject → ids of the fences it is inside. */
  private insideBySubject = new Map<string, Set<string>>();

  constructor(
    private readonly repo: GeofencesRepository,
    private readonly events: Publisher<FleetEvents>,
    private readonly clock: Clock,
    private readonly settings: GeofenceSettings,
    private readonly log: Logger,
  ) {}

  /** Reloads the fence list now (after a change on this node). */
  async reload(): Promise<void> {
    this.loadedAt = -Infinity;
    await this.current();
  }

  async evaluate(mover: Mover, position: Position, at: number): Promise<void> {
    const fences = await this.current();
    if (fences.length === 0) return;
    const subjects: [kind: 'driverId' | 'vehicleId', subject: string][] = [];
    if (mover.driverId) subjects.push(['driverId', `driver:${mover.driverId}`]);
    if (mover.vehicleId) subjects.push(['vehicleId', `vehicle:${mover.vehicleId}`]);
    // One event per fence and direction, naming every subject that crossed.
    const crossings = new Map<string, { fence: Geofence; inside: boolean; ids: Mover }>();
    for (const [kind, subject] of subjects) {
      let inside = this.insideBySubject.get(subject);
      if (!inside) this.insideBySubject.set(subject, (inside = new Set()));
      for (const { fence, shape } of fences) {
        const was = inside.has(fence.id);
        const now = was ? !shape.outsideBox(position, this.settings.marginM) && shape.test(position).outsideM <= this.settings.marginM
          : !shape.outsideBox(position, 0) && shape.test(position).inside;
        if (now === was) continue;
        const won = await this.repo.cross(subject, fence.id, now, at);
        if (now) inside.add(fence.id);
        else inside.delete(fence.id);
        if (!won) continue;
        const key = `${fence.id}:${now}`;
        const entry = crossings.get(key) ?? { fence, inside: now, ids: {} };
        entry.ids[kind] = mover[kind];
        crossings.set(key, entry);
      }
    }
    for (const { fence, inside, ids } of crossings.values()) {
      this.events.publish('geofence.crossed', {
        kind: inside ? 'enter' : 'exit',
        payload: {
          geofenceId: fence.id,
          name: fence.name,
          ...(ids.vehicleId ? { vehicleId: ids.vehicleId } : {}),
          ...(ids.driverId ? { driverId: ids.driverId } : {}),
          location: { latitude: position.latitude, longitude: position.longitude },
          timestamp: new Date(at).toISOString(),
        },
      });
    }
  }

  private async current(): Promise<CompiledFence[]> {
    if (this.clock.now() - this.loadedAt < this.settings.refreshMs) return this.fences;
    this.loading ??= Promise.all([this.repo.list(), this.repo.insideAll()]).then(
      ([list, inside]) => {
        this.fences = list.map((fence) => ({ fence, shape: compileShape(fence.shape) }));
        this.insideBySubject = inside;
        this.loadedAt = this.clock.now();
      },
      (err: unknown) => {
        // Back off until the next refresh instead of asking again on every fix.
        this.loadedAt = this.clock.now();
        this.log.warn({ err }, 'geofence reload failed; keeping the previous list');
      },
    ).finally(() => (this.loading = undefined));
    await this.loading;
    return this.fences;
  }
}
