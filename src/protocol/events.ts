import type { z } from 'zod';
import type { AckFn } from './ack.ts';
import { connectionInbound, connectionOutbound, type ConnectionOutbound } from './families/connection.ts';
import { usersInbound, usersOutbound, type UsersOutbound } from './families/users.ts';
import { ridesInbound } from './families/rides.ts';
import { ridesOutbound, type RidesOutbound } from './families/rides-outbound.ts';
import { locationsInbound, locationsOutbound, type LocationsOutbound } from './families/locations.ts';
import { fleetInbound, fleetOutbound, type FleetOutbound } from './families/fleet.ts';
import { notificationsInbound, notificationsOutbound, type NotificationsOutbound } from './families/notifications.ts';
import { emergenciesInbound, emergenciesOutbound, type EmergenciesOutbound } from './families/emergencies.ts';
import { paymentsInbound, paymentsOutbound, type PaymentsOutbound } from './families/payments.ts';
import { chatInbound, chatOutbound, type ChatOutbound } from './families/chat.ts';
import { bookingsInbound, bookingsOutbound, type BookingsOutbound } from './families/bookings.ts';
import { liveEventsInbound, liveEventsOutbound, type LiveEventsOutbound } from './families/live-events.ts';
import { presenceInbound, presenceOutbound, type PresenceOutbound } from './families/presence.ts';
import { streamsInbound, streamsOutbound, type StreamsOutbound } from './families/streams.ts';
import { dashboardInbound, dashboardOutbound, type DashboardOutbound } from './families/dashboard.ts';
import type { InboundSpec, OutboundSpec } from './define.ts';
import type { SocketRole } from './roles.ts';

/**
 * The event families, in the order the event reference lists them. Event
 * names follow the styles of the clients each family serves: snake_case trip
 * events, colon-namespaced fleet and notification events.
 */
export const FAMILIES = [
  { title: 'Connection', inbound: connectionInbound, outbound: connectionOutbound },
  { title: 'Ride-hailing trips', inbound: ridesInbound, outbound: ridesOutbound },
  { title: 'Locations and fleet', inbound: { ...locationsInbound, ...fleetInbound }, outbound: { ...locationsOutbound, ...fleetOutbound } },
  { title: 'Payments and wallet', inbound: paymentsInbound, outbound: paymentsOutbound },
  { title: 'Notifications and users', inbound: { ...notificationsInbound, ...usersInbound }, outbound: { ...notificationsOutbound, ...usersOutbound } },
  { title: 'Emergencies', inbound: emergenciesInbound, outbound: emergenciesOutbound },
  { title: 'Chat', inbound: chatInbound, outbound: chatOutbound },
  { title: 'Bookings', inbound: bookingsInbound, outbound: bookingsOutbound },
  { title: 'Live events', inbound: liveEventsInbound, outbound: liveEventsOutbound },
  { title: 'Presence and contacts', inbound: presenceInbound, outbound: presenceOutbound },
  { title: 'Durable streams and recovery', inbound: streamsInbound, outbound: streamsOutbound },
  { title: 'Operator dashboard (/admin)', inbound: dashboardInbound, outbound: dashboardOutbound },
] as const satisfies readonly { title: string; inbound: Record<string, InboundSpec>; outbound: Record<string, OutboundSpec> }[];

/** Every client→server event the gateway accepts, by name. */
export const INBOUND = {
  ...connectionInbound,
  ...usersInbound,
  ...ridesInbound,
  ...locationsInbound,
  ...fleetInbound,
  ...notificationsInbound,
  ...emergenciesInbound,
  ...paymentsInbound,
  ...chatInbound,
  ...presenceInbound,
  ...bookingsInbound,
  ...liveEventsInbound,
  ...streamsInbound,
  ...dashboardInbound,
} as const;

/** Every server→client event, by name: its payload schema and who receives it. */
export const OUTBOUND = {
  ...connectionOutbound,
  ...usersOutbound,
  ...ridesOutbound,
  ...locationsOutbound,
  ...fleetOutbound,
  ...notificationsOutbound,
  ...emergenciesOutbound,
  ...paymentsOutbound,
  ...chatOutbound,
  ...presenceOutbound,
  ...bookingsOutbound,
  ...liveEventsOutbound,
  ...streamsOutbound,
  ...dashboardOutbound,
} as const;

export type InboundEvent = keyof typeof INBOUND;
export type InboundInput<E extends InboundEvent> = z.input<(typeof INBOUND)[E]['schema']>;
export type InboundPayload<E extends InboundEvent> = z.output<(typeof INBOUND)[E]['schema']>;
export type OutboundEvent = keyof typeof OUTBOUND;

export function isInboundEvent(name: string): name is InboundEvent {
  return Object.hasOwn(INBOUND, name);
}

/** Socket.IO generic 1: what clients may emit. */
export type ClientToServerEvents = {
  [E in InboundEvent]: undefined extends InboundInput<E>
    ? (payload?: InboundInput<E> | AckFn, ack?: AckFn) => void
    : (payload: InboundInput<E>, ack?: AckFn) => void;
};

/** Socket.IO generic 2: what the server emits, inferred from each family's outbound schemas. */
export interface ServerToClientEvents extends ConnectionOutbound, UsersOutbound, RidesOutbound, LocationsOutbound, FleetOutbound,
  NotificationsOutbound, EmergenciesOutbound, PaymentsOutbound, ChatOutbound, PresenceOutbound, BookingsOutbound, LiveEventsOutbound, StreamsOutbound, DashboardOutbound {}

/** Socket.IO generic 3: node-to-node messages through the adapter. */
export interface InterServerEvents {
  /** User ids whose profile changed, gathered over a few milliseconds on the sending node (a string from older nodes). */
  'profile:invalidate': (userIds: string[] | string) => void;
  // A driver's trip changed on one node; the others drop their cached answer.
  'locations:trip-changed': (driverId: string) => void;
  // …and a driver's new trip: every node keeps only admins and that trip's passenger in `driver_location:{driverId}`.
  'locations:watchers-reset': (driverId: string, passengerId: string) => void;
  // A node with dashboards watching says so every few seconds: the others send their position batches only while someone watches.
  'dashboard:watching': () => void;
  // A durable event appended on one node: each node emits it to its own sockets of those users, each with its seq.
  'stream:deliver': (message: { event: string; payload: unknown; seqs: Array<[userId: string, seq: number]> }) => void;
}

/** Socket.IO generic 4: per-socket data, set once at handshake. */
export interface SocketData {
  userId: string;
  role: SocketRole;
  name: string | undefined;
  /** Token expiry, epoch ms; 0 for anonymous sockets. */
  expiresAt: number;
  connectedAt: string;
  /** The client's address (X-Forwarded-For only from a TRUST_PROXY proxy): the rate-limit key of anonymous sockets. */
  address: string;
}
