import type { FleetService } from '../../modules/fleet/index.ts';
import type { EventHandler } from '../event-router.ts';
import { rooms } from '../types.ts';

/** subscribe:vehicle, unsubscribe:vehicle, subscribe:tracking, unsubscribe:tracking, request:active-vehicles (seed 001). */
export function fleetHandlers(deps: { fleet: FleetService }) {
  const subscribeVehicle: EventHandler<'subscribe:vehicle'> = async ({ socket, userId, role }, vehicleId) => {
    await deps.fleet.authoriseSubscription(userId, role, vehicleId);
    await socket.join(rooms.vehicle(vehicleId));
    return { vehicleId };
  };

  const unsubscribeVehicle: EventHandler<'unsubscribe:vehicle'> = async ({ socket }, vehicleId) => {
    const member = socket.rooms.has(rooms.vehicle(vehicleId));
    if (member) await socket.leave(rooms.vehicle(vehicleId));
    return { vehicleId, left: member };
  };

  const subscribeTracking: EventHandler<'subscribe:tracking'> = async ({ socket }) => {
    await socket.join(rooms.fleet);
    return { subscribed: true };
  };

  const unsubscribeTracking: EventHandler<'unsubscribe:tracking'> = async ({ socket }) => {
    await socket.leave(rooms.fleet);
    return { subscribed: false };
  };

  const activeVehicles: EventHandler<'request:active-vehicles'> = async ({ socket }) => {
    const vehicles = await deps.fleet.activeVehicles();
    socket.emit('active-vehicles', { vehicles });
    return { vehicles };
  };

  return {
    'subscribe:vehicle': subscribeVehicle,
    'unsubscribe:vehicle': unsubscribeVehicle,
    'subscribe:tracking': subscribeTracking,
    'unsubscribe:tracking': unsubscribeTracking,
    'request:active-vehicles': activeVehicles,
  } as const;
}
