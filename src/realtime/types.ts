import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '../protocol/index.ts';

/** The Socket.IO server, typed with all four generics. */
export type LivegateServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type LivegateSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export type OutEvent = keyof ServerToClientEvents;
export type OutArgs<E extends OutEvent> = Parameters<ServerToClientEvents[E]>;

/** Room names in one place (PROTOCOL.md section 3). */
export const rooms = {
  user: (userId: string) => `user:${userId}`,
  drivers: 'drivers',
  admins: 'admins',
  fleet: 'fleet',
  trip: (tripId: string) => `trip:${tripId}`,
  driverLocation: (driverId: string) => `driver_location:${driverId}`,
  vehicle: (vehicleId: string) => `vehicle:${vehicleId}`,
  booking: (bookingId: string) => `booking:${bookingId}`,
  chat: (roomId: string) => `chat:${roomId}`,
  event: (eventId: string) => `event:${eventId}`,
  /** This node's sockets whose outbound backlog is over the limit (slow-clients.ts): positions skip them. */
  slowClients: 'slow-clients',
} as const;

/** Rooms a socket is put in by the server and may not leave. */
export function isAutomaticRoom(room: string, socket: Pick<LivegateSocket, 'id'>): boolean {
  return room === socket.id || room.startsWith('user:') || room === rooms.drivers || room === rooms.admins || room === rooms.slowClients;
}
