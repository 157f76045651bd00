import { AppError } from '../../core/errors.ts';
import type { LocationsService } from '../../modules/locations/index.ts';
import type { EventHandler } from '../event-router.ts';
import { rooms } from '../types.ts';

/** driver_location_update, update_availability, get_nearby_drivers, join_driver_location (family B). */
export function locationsHandlers(deps: { locations: LocationsService }) {
  const locationUpdate: EventHandler<'driver_location_update'> = ({ userId, now }, p) =>
    deps.locations.report(userId, { location: p.location, timestamp: p.timestamp, isOnline: p.isOnline, isAvailable: p.isAvailable }, now);

  const updateAvailability: EventHandler<'update_availability'> = ({ userId, now }, p) => deps.locations.updateAvailability(userId, p, now);

  const nearby: EventHandler<'get_nearby_drivers'> = async ({ socket, now }, query) => {
    const payload = await deps.locations.nearby(query, now);
    socket.emit('nearby_drivers', payload);
    return payload;
  };

  const joinDriverLocation: EventHandler<'join_driver_location'> = async ({ socket, userId, role }, { driverId }) => {
    if (!(await deps.locations.canWatch(userId, role, driverId))) {
      throw new AppError('ROOM_ACCESS_DENIED', 'Only the passenger of this driver\'s active trip or an admin may watch the driver');
    }
    await socket.join(rooms.driverLocation(driverId));
    return { driverId };
  };

  return {
    driver_location_update: locationUpdate,
    update_availability: updateAvailability,
    get_nearby_drivers: nearby,
    join_driver_location: joinDriverLocation,
  } as const;
}
