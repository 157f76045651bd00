import type { DomainEvents } from '../../core/domain-events.ts';
import type { LocationsEvents } from '../../modules/locations/index.ts';
import type { Delivery } from '../delivery.ts';
import { Coalescer } from '../coalescer.ts';
import { rooms, type LivegateServer } from '../types.ts';

/**
 * Positions of a driver on a trip go to the passenger (`user:{id}`) and to
 * `driver_location:{driverId}`, volatile (a slow client skips positions
 * rather than queueing them) and coalesced per driver.
 *
 * The room outlives trips, so whenever this node first relays a trip of a
 * driver, everyone in the room but admins and that trip's passenger is
 * removed from it (on every node): a former passenger never sees the next
 * trip.
 */
export function deliverLocationEvents(
  events: DomainEvents<LocationsEvents>,
  delivery: Delivery,
  io: LivegateServer,
  opts: { minIntervalMs: number; crossNode: boolean },
): { stop(): void } {
  const lastTrip = new Map<string, string>();
  const coalescer = new Coalescer<LocationsEvents['location.trip_position']>(opts.minIntervalMs, (driverId, { passengerId, payload }) => {
    if (lastTrip.get(driverId) !== payload.tripId) {
      keepOnlyTripWatchers(io, driverId, passengerId);
      if (opts.crossNode) io.serverSideEmit('locations:watchers-reset', driverId, passengerId);
      if (lastTrip.size >= 100_000) lastTrip.clear();
      lastTrip.set(driverId, payload.tripId);
    }
    delivery.volatileTo([rooms.user(passengerId), rooms.driverLocation(driverId)], 'driver_location_update', payload);
  });
  events.on('location.trip_position', (e) => coalescer.push(e.driverId, e));
  io.on('locations:watchers-reset', (driverId, passengerId) => keepOnlyTripWatchers(io, driverId, passengerId));
  return { stop: () => coalescer.stop() };
}

/**
 * This node's sockets in `driver_location:{driverId}` that are neither admins
 * nor the trip's passenger leave it. Looks at the room's few members only:
 * `io.in(room).except('admins')` would walk every admin socket of the node
 * for each new trip (measured: a fifth of the CPU when thousands of trips
 * started together with thousands of admins connected).
 */
function keepOnlyTripWatchers(io: LivegateServer, driverId: string, passengerId: string): void {
  const room = rooms.driverLocation(driverId);
  const members = io.of('/').adapter.rooms.get(room);
  if (!members) return;
  for (const id of [...members]) {
    const socket = io.of('/').sockets.get(id);
    if (socket && socket.data.role !== 'admin' && socket.data.userId !== passengerId) void socket.leave(room);
  }
}
