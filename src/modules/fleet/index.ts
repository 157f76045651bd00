/**
 * The fleet module (family B, fleet half; seed 001): vehicles,
 * telemetry, the low-fuel alarm, geofences and the vehicle side of driver
 * fixes. Other modules use only what is exported here.
 */
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../core/logger.ts';
import type { Queryable } from '../../storage/index.ts';
import type { HistoryRow, WriteBehindObserver } from '../locations/index.ts';
import type { FleetEvents } from './fleet-events.ts';
import type { Publisher } from '../../core/domain-events.ts';
import { FleetService, type FleetSettings } from './fleet.service.ts';
import { GeofenceMonitor, type GeofenceSettings } from './geofence-monitor.ts';
import { GeofencesRepository } from './geofences.repository.ts';
import { GeofencesService } from './geofences.service.ts';
import { VehiclePositionWriter } from './vehicle-position-writer.ts';
import { VehiclesRepository } from './vehicles.repository.ts';

export type { FleetEvents, VehiclePosition } from './fleet-events.ts';
export { toFleetLocation } from './vehicles.repository.ts';
export { FleetService, type FleetSettings } from './fleet.service.ts';
export { GeofencesService } from './geofences.service.ts';
export type { GeofenceSettings, Mover } from './geofence-monitor.ts';
export { compileShape, normaliseRing, type FenceShape } from './geofence-geometry.ts';

export interface FleetModuleDeps {
  db: Queryable;
  history: { add(row: HistoryRow): void };
  events: Publisher<FleetEvents>;
  clock: Clock;
  settings: FleetSettings & { geofences: GeofenceSettings; positionFlushMs: number };
  log: Logger;
  /** Metrics of the batched vehicle position writes. */
  positionWrites?: WriteBehindObserver;
}

export interface FleetModule {
  service: FleetService;
  geofences: GeofencesService;
  start(): void;
  /** Writes pending vehicle positions; call before the database closes. */
  stop(): Promise<void>;
}

export function createFleetModule(deps: FleetModuleDeps): FleetModule {
  const vehicles = new VehiclesRepository(deps.db);
  const fences = new GeofencesRepository(deps.db);
  const monitor = new GeofenceMonitor(fences, deps.events, deps.clock, deps.settings.geofences, deps.log);
  const positions = new VehiclePositionWriter(vehicles, deps.settings.positionFlushMs, deps.log, deps.positionWrites);
  const service = new FleetService({ vehicles, positions, geofences: monitor, history: deps.history, events: deps.events, clock: deps.clock, settings: deps.settings, log: deps.log });
  return {
    service,
    geofences: new GeofencesService(fences, monitor),
    start: () => positions.start(),
    stop: () => positions.stop(),
  };
}
