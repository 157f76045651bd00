import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { CreateVehicle, PatchVehicle, Telemetry, VehicleStatus, VehicleView } from '../../protocol/families/fleet.ts';
import type { AcceptedFix, HistoryRow } from '../locations/index.ts';
import type { FleetEvents } from './fleet-events.ts';
import type { Publisher } from '../../core/domain-events.ts';
import type { GeofenceMonitor } from './geofence-monitor.ts';
import type { VehiclePositionWriter } from './vehicle-position-writer.ts';
import type { VehiclesRepository } from './vehicles.repository.ts';

export interface FleetSettings {
  /** `vehicle:low-fuel` when fuel falls below this (percent)… */
  lowFuelPercent: number;
  /** …and again only after it has risen above this. */
  fuelRearmPercent: number;
  /** How far ahead of the server's clock a telemetry timestamp may be. */
  maxFutureSkewMs: number;
  /** Driver → vehicle assignments are re-read this often (changes made on this node apply at once). */
  assignmentRefreshMs: number;
}

export interface FleetServiceDeps {
  vehicles: VehiclesRepository;
  positions: VehiclePositionWriter;
  geofences: GeofenceMonitor;
  history: { add(row: HistoryRow): void };
  events: Publisher<FleetEvents>;
  clock: Clock;
  settings: FleetSettings;
  log: Logger;
}

/** Unique violations (plate, driver) become CONFLICT; anything else is rethrown. */
function conflict(err: unknown): never {
  if ((err as { code?: string } | null)?.code === '23505') throw new AppError('CONFLICT', 'The plate number or the driver is already taken by another vehicle');
  throw err;
}

/**
 * Vehicles, their telemetry, the low-fuel alarm and the vehicle side of
 * driver fixes. Reports what happened as FleetEvents; knows no sockets.
 */
export class FleetService {
  /**
   * Every driver → vehicle assignment, read in one query and refreshed every
   * `assignmentRefreshMs`: the pipeline asks on every fix, and a query per
   * fix (or per driver) would be most of the database load.
   */
  private byDriver = new Map<string, { vehicleId: string; type: string }>();
  private assignmentsReadAt = -Infinity;
  private assignmentsLoading: Promise<void> | undefined;
  /** Changes made here, re-applied over a snapshot that may have been read before them. */
  private readonly localAssignments = new Map<string, { value: { vehicleId: string; type: string } | null; at: number }>();

  constructor(private readonly deps: FleetServiceDeps) {}

  async create(body: CreateVehicle): Promise<VehicleView> {
    const { id, ...fields } = body;
    const vehicle = await this.deps.vehicles.create(id, fields).catch(conflict);
    if (!vehicle) throw new AppError('CONFLICT', 'A vehicle with this id or plate number exists, or the driver already has a vehicle');
    if (vehicle.driverId) this.assign(vehicle.driverId, { vehicleId: vehicle.id, type: vehicle.type });
    this.deps.events.publish('vehicle.updated', { vehicle, previousDriverId: null });
    if (body.fuelLevel !== undefined) await this.checkFuel(vehicle.id);
    return vehicle;
  }

  async get(id: string): Promise<VehicleView> {
    const vehicle = await this.deps.vehicles.get(id);
    if (!vehicle) throw new AppError('NOT_FOUND', `Vehicle ${id} not found`);
    return vehicle;
  }

  list(status?: VehicleStatus): Promise<VehicleView[]> {
    return this.deps.vehicles.list(status);
  }

  /** Active vehicles with their last positions (`request:active-vehicles`). */
  activeVehicles(): Promise<VehicleView[]> {
    return this.deps.vehicles.list('active');
  }

  async patch(id: string, body: PatchVehicle): Promise<VehicleView> {
    const result = await this.deps.vehicles.update(id, body).catch(conflict);
    if (!result) throw new AppError('NOT_FOUND', `Vehicle ${id} not found`);
    const { vehicle, previousDriverId } = result;
    if (previousDriverId && previousDriverId !== vehicle.driverId) this.assign(previousDriverId, null);
    if (vehicle.driverId) this.assign(vehicle.driverId, { vehicleId: id, type: vehicle.type });
    this.deps.events.publish('vehicle.updated', result);
    if (body.fuelLevel !== undefined) await this.checkFuel(id);
    return result.vehicle;
  }

  /** A tracker's or backend's report (HTTP). An older report than one already applied goes to history only. */
  async telemetry(id: string, t: Telemetry, now = this.deps.clock.now()): Promise<{ vehicle: VehicleView; applied: boolean }> {
    const at = t.timestamp ? Date.parse(t.timestamp) : now;
    if (at > now + this.deps.settings.maxFutureSkewMs) {
      throw new AppError('VALIDATION_ERROR', 'Invalid request at timestamp: in the future', { field: 'timestamp', reason: 'future' });
    }
    const location = t.location ? { ...t.location, at } : undefined;
    const result = await this.deps.vehicles.applyTelemetry(id, { at, fuelLevel: t.fuelLevel, status: t.status, location });
    if (!result) throw new AppError('NOT_FOUND', `Vehicle ${id} not found`);
    if (location) {
      this.deps.history.add({ driverId: null, vehicleId: id, at, latitude: location.latitude, longitude: location.longitude, heading: location.heading, speed: location.speed });
    }
    if (result.applied) {
      if (result.moved && location) {
        this.deps.events.publish('vehicle.moved', { vehicleId: id, position: location });
        await this.deps.geofences.evaluate({ vehicleId: id }, location, at).catch((err: unknown) => this.deps.log.warn({ err }, 'geofence check failed'));
      }
      if (t.status !== undefined || t.fuelLevel !== undefined) this.deps.events.publish('vehicle.updated', { vehicle: result.vehicle, previousDriverId: result.vehicle.driverId });
      if (t.fuelLevel !== undefined) await this.checkFuel(id);
    }
    return { vehicle: result.vehicle, applied: result.applied };
  }

  /** The vehicle a driver drives (asked on every fix; answered from the assignment snapshot). */
  async vehicleOf(driverId: string): Promise<{ vehicleId: string; type: string } | null> {
    const known = this.vehicleOfNow(driverId);
    if (known !== undefined) return known;
    // Only the very first read waits; later refreshes happen behind the current snapshot.
    await this.assignmentsLoading;
    return this.byDriver.get(driverId) ?? null;
  }

  /** `vehicleOf` without a promise once the snapshot is loaded (the pipeline's hot path); undefined before. */
  vehicleOfNow(driverId: string): { vehicleId: string; type: string } | null | undefined {
    if (this.deps.clock.now() - this.assignmentsReadAt >= this.deps.settings.assignmentRefreshMs) {
      this.assignmentsLoading ??= this.deps.vehicles.assignments().then(
        (map) => {
          const now = this.deps.clock.now();
          for (const [driverId, { value, at }] of this.localAssignments) {
            if (now - at > 2 * this.deps.settings.assignmentRefreshMs) this.localAssignments.delete(driverId);
            else if (value) map.set(driverId, value);
            else map.delete(driverId);
          }
          this.byDriver = map;
          this.assignmentsReadAt = now;
        },
        (err: unknown) => {
          // Keep the previous snapshot and try again at the next refresh.
          this.assignmentsReadAt = this.deps.clock.now();
          this.deps.log.warn({ err }, 'vehicle assignments reload failed');
        },
      ).finally(() => (this.assignmentsLoading = undefined));
    }
    if (this.assignmentsReadAt === -Infinity) return undefined;
    return this.byDriver.get(driverId) ?? null;
  }

  private assign(driverId: string, value: { vehicleId: string; type: string } | null): void {
    if (value) this.byDriver.set(driverId, value);
    else this.byDriver.delete(driverId);
    this.localAssignments.set(driverId, { value, at: this.deps.clock.now() });
  }

  /** A driver's accepted fix: moves the vehicle they drive and checks geofences for both. */
  async onDriverMoved(driverId: string, vehicleId: string | null, fix: AcceptedFix): Promise<void> {
    if (vehicleId) {
      this.deps.positions.add(vehicleId, fix);
      this.deps.events.publish('vehicle.moved', { vehicleId, position: fix });
    }
    await this.deps.geofences.evaluate({ driverId, vehicleId: vehicleId ?? undefined }, fix, fix.at);
  }

  /** `subscribe:vehicle`: admins, and the driver the vehicle is assigned to. */
  async authoriseSubscription(userId: string, role: string, vehicleId: string): Promise<void> {
    const vehicle = await this.deps.vehicles.get(vehicleId);
    if (!vehicle) throw new AppError('NOT_FOUND', `Vehicle ${vehicleId} not found`);
    if (role === 'admin' || (role === 'driver' && vehicle.driverId === userId)) return;
    throw new AppError('ROOM_ACCESS_DENIED', 'Only admins and the vehicle\'s driver may subscribe');
  }

  private async checkFuel(id: string): Promise<void> {
    const { lowFuelPercent, fuelRearmPercent } = this.deps.settings;
    const { crossedBelow, fuelLevel } = await this.deps.vehicles.updateLowFuelAlarm(id, lowFuelPercent, fuelRearmPercent);
    if (crossedBelow && fuelLevel !== null) this.deps.events.publish('vehicle.low_fuel', { vehicleId: id, fuelLevel });
  }
}
