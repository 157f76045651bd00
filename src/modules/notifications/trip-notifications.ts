import type { Logger } from '../../core/logger.ts';
import { toMoney, type TripsEvents } from '../trips/index.ts';
import type { NotificationInput } from './notification-types.ts';
import type { NotificationsService } from './notifications.service.ts';
import type { EventSource } from '../../core/domain-events.ts';

/**
 * Inbox notifications for the passenger at the moments seed 000 shows:
 * driver assigned, driver arrived, trip completed (with "Rate Driver").
 * The trip's own events (`trip_accepted`, …) still go out; these are the
 * lasting, pushable record. Each has a dedupe key, so a replayed event
 * creates nothing twice.
 */
export function notifyTripEvents(events: EventSource<TripsEvents>, notifications: NotificationsService, log: Logger): void {
  const notify = (userId: string, key: string, input: NotificationInput) => {
    notifications.notifyUser(userId, input, { dedupeKey: key }).catch((err: unknown) => log.warn({ err, userId, key }, 'trip notification failed'));
  };

  events.on('trip.accepted', ({ trip, driver, estimatedArrivalMin }) => {
    notify(trip.passengerId, `trip:${trip.id}:accepted`, {
      type: 'info',
      title: 'Driver on the way',
      message: estimatedArrivalMin === null ? `${driver.name} accepted your trip` : `${driver.name} accepted your trip and arrives in about ${estimatedArrivalMin} min`,
      data: { tripId: trip.id, driverId: driver.id },
    });
  });

  events.on('trip.driver_arrived', ({ trip }) => {
    notify(trip.passengerId, `trip:${trip.id}:driver_arrived`, {
      type: 'info',
      title: 'Your driver has arrived',
      message: 'Your driver is waiting at the pickup point',
      data: { tripId: trip.id },
    });
  });

  events.on('trip.completed', ({ trip, fareMinor }) => {
    notify(trip.passengerId, `trip:${trip.id}:completed`, {
      type: 'success',
      title: 'Trip Completed',
      message: 'Your trip has been completed successfully',
      data: { tripId: trip.id, amount: toMoney(fareMinor) },
      actions: [{ label: 'Rate Driver', action: 'rate_driver', data: { tripId: trip.id } }],
    });
  });
}
