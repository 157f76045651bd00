import type { Server, Socket } from 'socket.io';
import { rooms } from '../protocol/rooms.ts';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '../protocol/index.ts';

export { rooms };

/** The Socket.IO server, typed with all four generics. */
export type LivegateServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type LivegateSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export type OutEvent = keyof ServerToClientEvents;
export type OutArgs<E extends OutEvent> = Parameters<ServerToClientEvents[E]>;

/** Rooms a socket is put in by the server and may not leave. */
export function isAutomaticRoom(room: string, socket: Pick<LivegateSocket, 'id'>): boolean {
  return room === socket.id || room.startsWith('user:') || room === rooms.drivers || room === rooms.admins || room === rooms.slowClients;
}
