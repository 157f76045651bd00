import type { DomainEvents } from '../../core/domain-events.ts';
import { toFleetLocation, type FleetEvents, type VehiclePosition } from '../../modules/fleet/index.ts';
import type { Delivery } from '../delivery.ts';
import { Coalescer } from '../coalescer.ts';
import { rooms, type LivegateServer } from '../types.ts';

/**
 * Fleet events to rooms: vehicle changes to `vehicle:{id}` and `fleet`;
 * `vehicle:location` coalesced like driver positions and `tracking:update`
 * at most once per vehicle per `trackingIntervalMs`; low fuel to the
 * vehicle's room, `fleet` and `admins`; geofence crossings to `fleet` and
 * `admins`. A driver taken off a vehicle leaves its room.
 *
 * Positions (`vehicle:location`, `tracking:update`) go out like a driver's
 * positions: coalesced, and skipped for a client that is behind
 * (slow-clients.ts) — a `fleet` dashboard receives many vehicles' updates in
 * the same instant, which Socket.IO's own `volatile` flag would mostly drop.
 */
export function deliverFleetEvents(
  events: DomainEvents<FleetEvents>,
  delivery: Delivery,
  io: LivegateServer,
  opts: { minIntervalMs: number; trackingIntervalMs: number },
): { stop(): void } {
  // Formatted only when sent: most positions are coalesced away.
  const positions = new Coalescer<VehiclePosition>(opts.minIntervalMs, (vehicleId, position) => {
    delivery.volatileTo(rooms.vehicle(vehicleId), 'vehicle:location', { vehicleId, location: toFleetLocation(position) });
  });
  const tracking = new Coalescer<VehiclePosition>(opts.trackingIntervalMs, (vehicleId, position) => {
    delivery.volatileTo(rooms.fleet, 'tracking:update', { vehicleId, location: toFleetLocation(position) });
  });

  events.on('vehicle.updated', ({ vehicle, previousDriverId }) => {
    delivery.to([rooms.vehicle(vehicle.id), rooms.fleet], 'vehicle:updated', { vehicleId: vehicle.id, data: vehicle });
    if (previousDriverId && previousDriverId !== vehicle.driverId) io.in(rooms.user(previousDriverId)).socketsLeave(rooms.vehicle(vehicle.id));
  });
  events.on('vehicle.moved', ({ vehicleId, position }) => {
    positions.push(vehicleId, position);
    tracking.push(vehicleId, position);
  });
  events.on('vehicle.low_fuel', ({ vehicleId, fuelLevel }) => {
    delivery.to([rooms.vehicle(vehicleId), rooms.fleet, rooms.admins], 'vehicle:low-fuel', { vehicleId, fuelLevel });
  });
  events.on('geofence.crossed', ({ kind, payload }) => {
    delivery.to([rooms.fleet, rooms.admins], kind === 'enter' ? 'geofence:enter' : 'geofence:exit', payload);
  });
  return {
    stop() {
      positions.stop();
      tracking.stop();
    },
  };
}
