import { AppError } from '../../core/errors.ts';
import { alertView, type AlertsService } from '../../modules/alerts/index.ts';
import type { FleetService } from '../../modules/fleet/index.ts';
import type { DashboardSnapshot, DashboardVehicle } from '../../protocol/index.ts';
import { ADMIN_NAMESPACE } from '../admin-namespace.ts';
import type { EventHandler } from '../event-router.ts';
import type { LivegateSocket } from '../types.ts';
import type { TripBoard } from './board.ts';
import { DASHBOARD_ROOM, type DashboardFeed } from './feed.ts';

const SNAPSHOT_ALERTS = 100;
const SNAPSHOT_VEHICLES = 10_000;

export interface DashboardHandlerDeps {
  feed: DashboardFeed;
  board: TripBoard;
  fleet: Pick<FleetService, 'list'>;
  alerts: Pick<AlertsService, 'list'>;
  /** Vehicle state from its status and fuel (low fuel wins). */
  vehicleState(v: { status: DashboardVehicle['state']; fuelLevel: number | null }): DashboardVehicle['state'];
  batchMs: number;
  now(): number;
}

/** `dashboard:watch` joins the `/admin` dashboard room and answers with the snapshot; `dashboard:unwatch` leaves it. */
export function dashboardHandlers(deps: DashboardHandlerDeps) {
  const watch: EventHandler<'dashboard:watch'> = async ({ socket, emit }) => {
    onlyAdminNamespace(socket);
    // Joined first: a batch sent while the snapshot is read waits behind the answer (reply-gate.ts).
    await socket.join(DASHBOARD_ROOM);
    const snapshot = await buildSnapshot(deps);
    emit('dashboard:snapshot', snapshot);
    return snapshot;
  };
  const unwatch: EventHandler<'dashboard:unwatch'> = async ({ socket }) => {
    onlyAdminNamespace(socket);
    await socket.leave(DASHBOARD_ROOM);
    return { watching: false as const };
  };
  return { 'dashboard:watch': watch, 'dashboard:unwatch': unwatch } as const;
}

function onlyAdminNamespace(socket: LivegateSocket): void {
  if (socket.nsp.name !== ADMIN_NAMESPACE) throw new AppError('FORBIDDEN', `Dashboards connect to the ${ADMIN_NAMESPACE} namespace`);
}

async function buildSnapshot(deps: DashboardHandlerDeps): Promise<DashboardSnapshot> {
  const [stored, open] = await Promise.all([deps.fleet.list(), deps.alerts.list('open', SNAPSHOT_ALERTS)]);
  const live = deps.feed.current();
  // This node's newer positions win over the stored ones.
  const vehicles = new Map<string, DashboardVehicle>();
  for (const v of stored) {
    if (!v.currentLocation || vehicles.size >= SNAPSHOT_VEHICLES) continue;
    const at = Date.parse(v.currentLocation.timestamp);
    vehicles.set(v.id, { id: v.id, lat: v.currentLocation.lat, lng: v.currentLocation.lng, heading: v.currentLocation.heading, state: deps.vehicleState(v), driverId: v.driverId, at: Number.isFinite(at) ? at : 0 });
  }
  for (const v of live.vehicles) {
    const known = vehicles.get(v.id);
    if (!known || known.at <= v.at) vehicles.set(v.id, { ...v, driverId: known?.driverId ?? v.driverId });
  }
  return { drivers: live.drivers, vehicles: [...vehicles.values()], trips: deps.board.list(), alerts: open.map(alertView), batchMs: deps.batchMs, at: deps.now() };
}
