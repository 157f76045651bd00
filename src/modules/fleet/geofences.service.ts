import { randomUUID } from 'node:crypto';
import { AppError } from '../../core/errors.ts';
import type { CreateGeofence, GeofenceView } from '../../protocol/families/fleet.ts';
import { normaliseRing, type FenceShape } from './geofence-geometry.ts';
import type { GeofenceMonitor } from './geofence-monitor.ts';
import { toGeofenceView, type GeofencesRepository } from './geofences.repository.ts';

/** Geofence definitions (HTTP API); crossings are the monitor's job. */
export class GeofencesService {
  constructor(
    private readonly repo: GeofencesRepository,
    private readonly monitor: GeofenceMonitor,
  ) {}

  async create(body: CreateGeofence): Promise<GeofenceView> {
    let shape: FenceShape;
    if ('circle' in body) {
      shape = { kind: 'circle', center: body.circle.center, radiusM: body.circle.radiusM };
    } else {
      const ring = normaliseRing(body.polygon);
      if (!ring) throw new AppError('VALIDATION_ERROR', 'Invalid request at polygon: needs at least three distinct corners', { field: 'polygon' });
      shape = { kind: 'polygon', ring };
    }
    const fence = await this.repo.create(randomUUID(), body.name, shape);
    await this.monitor.reload();
    return toGeofenceView(fence);
  }

  async list(): Promise<GeofenceView[]> {
    return (await this.repo.list()).map(toGeofenceView);
  }

  async delete(id: string): Promise<void> {
    if (!(await this.repo.delete(id))) throw new AppError('NOT_FOUND', `Geofence ${id} not found`);
    await this.monitor.reload();
  }
}
