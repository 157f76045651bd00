import type { HandlerMap } from '../event-router.ts';
import { connectionHandlers, type ConnectionHandlerDeps } from './connection.handlers.ts';
import { usersHandlers } from './users.handlers.ts';
import type { UsersService } from '../../modules/users/index.ts';
// Family A, ride-hailing trips (issue 4).
import { tripsHandlers, type TripHandlerDeps } from './trips.handlers.ts';
// Family B, locations and fleet (issue 5).
import { locationsHandlers } from './locations.handlers.ts';
import { fleetHandlers } from './fleet.handlers.ts';
import type { LocationsService } from '../../modules/locations/index.ts';
import type { FleetService } from '../../modules/fleet/index.ts';
// Families D and E, notifications and emergencies (issue 7).
import { notificationsHandlers, type NotificationHandlerDeps } from './notifications.handlers.ts';
import { alertsHandlers, type AlertHandlerDeps } from './alerts.handlers.ts';
// Family C, payments and wallet (issue 6).
import { paymentsHandlers, type PaymentHandlerDeps } from './payments.handlers.ts';

export interface HandlerDeps extends ConnectionHandlerDeps, TripHandlerDeps,
  // Families D and E (issue 7).
  NotificationHandlerDeps, AlertHandlerDeps,
  // Family C (issue 6).
  PaymentHandlerDeps {
  users: UsersService;
  onProfileChanged: (userId: string) => void;
  // Family B, locations and fleet (issue 5).
  locations: LocationsService;
  fleet: FleetService;
}

/** Every inbound event's handler, by family. `HandlerMap` makes a missing one a compile error. */
export function createHandlers(deps: HandlerDeps): HandlerMap {
  return {
    ...connectionHandlers(deps),
    ...usersHandlers(deps),
    // Family A, ride-hailing trips (issue 4).
    ...tripsHandlers(deps),
    // Family B, locations and fleet (issue 5).
    ...locationsHandlers(deps),
    ...fleetHandlers(deps),
    // Families D and E, notifications and emergencies (issue 7).
    ...notificationsHandlers(deps),
    ...alertsHandlers(deps),
    // Family C, payments and wallet (issue 6).
    ...paymentsHandlers(deps),
  };
}
