import type { z } from 'zod';
import type { AckFn } from './ack.ts';
import { connectionInbound, type ConnectionOutbound } from './families/connection.ts';
import { usersInbound, type UsersOutbound } from './families/users.ts';
// Family A, ride-hailing trips (issue 4).
import { ridesInbound, type RidesOutbound } from './families/rides.ts';
// Family B, locations and fleet (issue 5).
import { locationsInbound, type LocationsOutbound } from './families/locations.ts';
import { fleetInbound, type FleetOutbound } from './families/fleet.ts';
// Families D and E, notifications and emergencies (issue 7).
import { notificationsInbound, type NotificationsOutbound } from './families/notifications.ts';
import { emergenciesInbound, type EmergenciesOutbound } from './families/emergencies.ts';
// Family C, payments and wallet (issue 6).
import { paymentsInbound, type PaymentsOutbound } from './families/payments.ts';
import type { SocketRole } from './roles.ts';

/** Every client→server event the gateway accepts, by name. */
export const INBOUND = {
  ...connectionInbound,
  ...usersInbound,
  // Family A, ride-hailing trips (issue 4).
  ...ridesInbound,
  // Family B, locations and fleet (issue 5).
  ...locationsInbound,
  ...fleetInbound,
  // Families D and E, notifications and emergencies (issue 7).
  ...notificationsInbound,
  ...emergenciesInbound,
  // Family C, payments and wallet (issue 6).
  ...paymentsInbound,
} as const;

export type InboundEvent = keyof typeof INBOUND;
export type InboundInput<E extends InboundEvent> = z.input<(typeof INBOUND)[E]['schema']>;
export type InboundPayload<E extends InboundEvent> = z.output<(typeof INBOUND)[E]['schema']>;

export function isInboundEvent(name: string): name is InboundEvent {
  return Object.hasOwn(INBOUND, name);
}

/** Socket.IO generic 1: what clients may emit. */
export type ClientToServerEvents = {
  [E in InboundEvent]: undefined extends InboundInput<E>
    ? (payload?: InboundInput<E> | AckFn, ack?: AckFn) => void
    : (payload: InboundInput<E>, ack?: AckFn) => void;
};

/** Socket.IO generic 2: what the server emits. */
export interface ServerToClientEvents extends ConnectionOutbound, UsersOutbound,
  // Family A, ride-hailing trips (issue 4).
  RidesOutbound,
  // Family B, locations and fleet (issue 5).
  LocationsOutbound, FleetOutbound,
  // Families D and E, notifications and emergencies (issue 7).
  NotificationsOutbound, EmergenciesOutbound,
  // Family C, payments and wallet (issue 6).
  PaymentsOutbound {}

/** Socket.IO generic 3: node-to-node messages through the adapter. */
export interface InterServerEvents {
  /** User ids whose profile changed, gathered over a few milliseconds on the sending node (a string from older nodes). */
  'profile:invalidate': (userIds: string[] | string) => void;
  // Family B (issue 5): a driver's trip changed on one node; the others drop their cached answer.
  'locations:trip-changed': (driverId: string) => void;
  // …and a driver's new trip: every node keeps only admins and that trip's passenger in `driver_location:{driverId}`.
  'locations:watchers-reset': (driverId: string, passengerId: string) => void;
}

/** Socket.IO generic 4: per-socket data, set once at handshake. */
export interface SocketData {
  userId: string;
  role: SocketRole;
  name: string | undefined;
  /** Token expiry, epoch ms; 0 for anonymous sockets. */
  expiresAt: number;
  connectedAt: string;
}
