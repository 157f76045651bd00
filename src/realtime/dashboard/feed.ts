import type { Metrics } from '../../observability/metrics.ts';
import type { DashboardDriver, DashboardPositions, DashboardVehicle, DriverState, VehicleState } from '../../protocol/index.ts';
import { ADMIN_NAMESPACE } from '../admin-namespace.ts';
import type { LivegateServer } from '../types.ts';

/** The `/admin` room of sockets that sent `dashboard:watch`. */
export const DASHBOARD_ROOM = 'dashboard';

/** A dashboard with more packets than this waiting for its transport skips the batch. */
const MAX_QUEUED_PACKETS = 4;
/** How often a node with watching dashboards tells the others, and how long they believe it. */
const WATCHING_ANNOUNCE_MS = 2_000;
const WATCHING_BELIEVED_MS = 6_000;

export interface DashboardFeedDeps {
  io: LivegateServer;
  metrics: Metrics;
  batchMs: number;
  /** Emits and server-side events cross nodes: batches go out while any node has a watcher. */
  crossNode: boolean;
  /** Drivers without a fix for this long leave the snapshot and are forgotten. */
  staleAfterMs: number;
  /** Whether a driver is available for trips now (the nearby index); undefined when unknown. */
  isAvailable(driverId: string): boolean | undefined;
  now(): number;
}

/** What the engine's socket holds that its public types do not name. */
interface EngineInternals { writeBuffer?: unknown[] }

/**
 * The dashboard's live map. Every accepted fix only overwrites the driver's
 * or vehicle's entry (no emit, no allocation once known); every `batchMs`,
 * while at least one dashboard watches anywhere, the entries that changed go
 * out as ONE `dashboard:positions` to the `/admin` `dashboard` room. Socket.IO
 * encodes a room emit once, so ten dashboards cost one serialisation.
 * Each node sends its own drivers' fixes; batches reach every node's dashboards.
 */
export class DashboardFeed {
  private readonly drivers = new Map<string, DashboardDriver>();
  private readonly vehicles = new Map<string, DashboardVehicle>();
  private readonly vehicleStates = new Map<string, VehicleState>();
  private readonly onTrip = new Set<string>();
  private movedDrivers = new Set<DashboardDriver>();
  private movedVehicles = new Set<DashboardVehicle>();
  private offline: string[] = [];
  private remoteWatchersUntil = 0;
  private lastAnnounce = 0;
  private lastPrune = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: DashboardFeedDeps) {
    if (deps.crossNode) deps.io.on('dashboard:watching', () => void (this.remoteWatchersUntil = deps.now() + WATCHING_BELIEVED_MS));
  }

  start(): void {
    this.timer ??= setInterval(() => this.flush(), this.deps.batchMs).unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  driverMoved(driverId: string, fix: { latitude: number; longitude: number; heading?: number | undefined; at: number }): void {
    let entry = this.drivers.get(driverId);
    if (!entry) {
      entry = { id: driverId, lat: 0, lng: 0, heading: null, state: 'available', at: 0 };
      this.drivers.set(driverId, entry);
    }
    entry.lat = fix.latitude;
    entry.lng = fix.longitude;
    entry.heading = fix.heading ?? null;
    entry.at = fix.at;
    this.movedDrivers.add(entry);
  }

  /** The driver's last socket closed (cluster-wide, as the registry decided). */
  driverOffline(driverId: string): void {
    const entry = this.drivers.get(driverId);
    if (!entry) return;
    this.drivers.delete(driverId);
    this.movedDrivers.delete(entry);
    this.offline.push(driverId);
  }

  vehicleMoved(vehicleId: string, position: { latitude: number; longitude: number; heading?: number | null | undefined; at: number }): void {
    let entry = this.vehicles.get(vehicleId);
    if (!entry) {
      entry = { id: vehicleId, lat: 0, lng: 0, heading: null, state: this.vehicleStates.get(vehicleId) ?? 'active', driverId: null, at: 0 };
      this.vehicles.set(vehicleId, entry);
    }
    entry.lat = position.latitude;
    entry.lng = position.longitude;
    entry.heading = position.heading ?? null;
    entry.at = position.at;
    this.movedVehicles.add(entry);
  }

  vehicleState(vehicleId: string, state: VehicleState): void {
    this.vehicleStates.set(vehicleId, state);
    const entry = this.vehicles.get(vehicleId);
    if (entry && entry.state !== state) {
      entry.state = state;
      this.movedVehicles.add(entry);
    }
  }

  /** A driver's trip began (accepted) or ended; their marker shows it from the next batch. */
  driverOnTrip(driverId: string, onTrip: boolean): void {
    if (onTrip) this.onTrip.add(driverId);
    else this.onTrip.delete(driverId);
    const entry = this.drivers.get(driverId);
    if (entry) this.movedDrivers.add(entry);
  }

  /** This node's drivers with a fresh fix, and the vehicles it has seen move, for a snapshot. */
  current(): { drivers: DashboardDriver[]; vehicles: DashboardVehicle[] } {
    const freshSince = this.deps.now() - this.deps.staleAfterMs;
    const drivers: DashboardDriver[] = [];
    for (const entry of this.drivers.values()) if (entry.at >= freshSince) drivers.push(this.withState(entry));
    return { drivers, vehicles: [...this.vehicles.values()] };
  }

  /** Local sockets in the dashboard room. */
  localWatchers(): number {
    return this.deps.io.of(ADMIN_NAMESPACE).adapter.rooms.get(DASHBOARD_ROOM)?.size ?? 0;
  }

  /** One tick: at most one batch. Public for tests and benchmarks. */
  flush(): void {
    const now = this.deps.now();
    const local = this.localWatchers();
    if (local > 0 && this.deps.crossNode && now - this.lastAnnounce >= WATCHING_ANNOUNCE_MS) {
      this.lastAnnounce = now;
      this.deps.io.serverSideEmit('dashboard:watching');
    }
    if (now - this.lastPrune >= this.deps.staleAfterMs) this.prune(now);
    const watched = local > 0 || this.remoteWatchersUntil > now;
    const moved = this.movedDrivers.size + this.movedVehicles.size + this.offline.length;
    if (!watched || moved === 0) {
      // Nobody to tell: a dashboard that starts watching gets a snapshot instead.
      this.movedDrivers.clear();
      this.movedVehicles.clear();
      this.offline = [];
      return;
    }
    const drivers: DashboardDriver[] = [];
    for (const entry of this.movedDrivers) drivers.push(this.withState(entry));
    const batch: DashboardPositions = { drivers, vehicles: [...this.movedVehicles], offline: this.offline, at: now };
    this.movedDrivers = new Set();
    this.movedVehicles = new Set();
    this.offline = [];
    this.deps.io.of(ADMIN_NAMESPACE).to(DASHBOARD_ROOM).except(this.behind()).emit('dashboard:positions', batch);
    this.deps.metrics.eventSent('dashboard:positions');
  }

  private withState(entry: DashboardDriver): DashboardDriver {
    entry.state = this.stateOf(entry.id);
    return entry;
  }

  private stateOf(driverId: string): DriverState {
    if (this.onTrip.has(driverId)) return 'on_trip';
    const available = this.deps.isAvailable(driverId);
    // Not in the nearby index: the driver went off duty (`isOnline: false`) or was pruned as stale.
    return available === undefined ? 'offline' : available ? 'available' : 'busy';
  }

  /**
   * This node's dashboards that still have earlier batches waiting: they skip
   * this one rather than queue behind it (the next batch carries every driver
   * that moves again; a reconnect brings a fresh snapshot).
   */
  private behind(): string[] {
    const nsp = this.deps.io.of(ADMIN_NAMESPACE);
    const ids: string[] = [];
    for (const id of nsp.adapter.rooms.get(DASHBOARD_ROOM) ?? []) {
      const conn = nsp.sockets.get(id)?.conn as unknown as EngineInternals | undefined;
      if ((conn?.writeBuffer?.length ?? 0) > MAX_QUEUED_PACKETS) ids.push(id);
    }
    return ids;
  }

  private prune(now: number): void {
    this.lastPrune = now;
    const freshSince = now - this.deps.staleAfterMs;
    for (const [id, entry] of this.drivers) if (entry.at < freshSince) this.drivers.delete(id);
    for (const [id, entry] of this.vehicles) if (entry.at < freshSince) this.vehicles.delete(id);
  }
}
