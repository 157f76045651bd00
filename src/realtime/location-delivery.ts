import type { DomainEvents } from '../core/domain-events.ts';
import type { LocationsEvents } from '../modules/locations/index.ts';
import type { Delivery } from './delivery.ts';
import { rooms, type LivegateServer } from './types.ts';

/**
 * Per key, at most one delivery per `intervalMs`: the first goes at once;
 * later ones inside the interval collapse into one trailing delivery of the
 * latest value, so the newest position is never lost, only thinned.
 */
export class Coalescer<V> {
  private readonly slots = new Map<string, { last: number; pending: V | undefined; timer: NodeJS.Timeout | undefined }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly intervalMs: number,
    private readonly send: (key: string, value: V) => void,
  ) {
    // Idle keys are forgotten so memory follows the active drivers, not every driver ever seen.
    this.sweeper = setInterval(() => this.sweep(), Math.max(1_000, intervalMs * 10)).unref();
  }

  push(key: string, value: V): void {
    if (this.intervalMs <= 0) return this.send(key, value);
    const now = performance.now();
    const slot = this.slots.get(key);
    if (!slot) {
      this.slots.set(key, { last: now, pending: undefined, timer: undefined });
      return this.send(key, value);
    }
    if (slot.timer) {
      slot.pending = value;
      return;
    }
    const wait = slot.last + this.intervalMs - now;
    if (wait <= 0) {
      slot.last = now;
      return this.send(key, value);
    }
    slot.pending = value;
    slot.timer = setTimeout(() => this.fire(key), wait).unref();
  }

  stop(): void {
    clearInterval(this.sweeper);
    for (const slot of this.slots.values()) clearTimeout(slot.timer);
    this.slots.clear();
  }

  private fire(key: string): void {
    const slot = this.slots.get(key);
    if (!slot) return;
    const value = slot.pending;
    slot.timer = undefined;
    slot.pending = undefined;
    slot.last = performance.now();
    if (value !== undefined) this.send(key, value);
  }

  private sweep(): void {
    const idleSince = performance.now() - this.intervalMs;
    for (const [key, slot] of this.slots) if (!slot.timer && slot.last < idleSince) this.slots.delete(key);
  }
}

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
