import type { z } from 'zod';
import type { AckFn } from './ack.ts';
import { connectionInbound, type ConnectionOutbound } from './families/connection.ts';
import { usersInbound, type UsersOutbound } from './families/users.ts';
import type { SocketRole } from './roles.ts';

/** Every client→server event the gateway accepts, by name. */
export const INBOUND = {
  ...connectionInbound,
  ...usersInbound,
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
export interface ServerToClientEvents extends ConnectionOutbound, UsersOutbound {}

/** Socket.IO generic 3: node-to-node messages through the adapter. */
export interface InterServerEvents {
  'profile:invalidate': (userId: string) => void;
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
