import { z } from 'zod';
import { defineInbound, defineOutbound, type OutboundEvents } from '../define.ts';
import { isoTime, noPayload, text } from '../schemas.ts';
import { ERROR_CATALOGUE, type ErrorCode } from '../errors.ts';
import type { SocketRole } from '../roles.ts';

const token = text().min(10).max(8192);
/** Roles a socket can have (`service` tokens may not open sockets). */
export const socketRole = z.enum(['passenger', 'driver', 'admin', 'user', 'anonymous'] satisfies SocketRole[]);

/** Connection and authentication events. */
export const connectionInbound = {
  ping: defineInbound({ schema: noPayload, audience: 'anyone', rate: 'default', ack: z.object({ serverTime: isoTime }) }),
  'auth:refresh': defineInbound({ schema: z.object({ token }), audience: 'authenticated', rate: 'auth', ack: z.object({ expiresAt: isoTime }) }),
  /** Seed 004 sends the token as a bare string; `{ token }` is accepted too. */
  authenticate: defineInbound({
    schema: z.union([token, z.object({ token }).transform((o) => o.token)]),
    audience: ['anonymous'],
    rate: 'auth',
    failure: { event: 'auth_error', payload: (error) => ({ code: 'AUTH_FAILED', message: error.message }) },
    ack: z.object({ userId: z.string(), role: socketRole }),
  }),
  leave_room: defineInbound({
    schema: z.object({ roomId: text().min(1).max(200) }),
    audience: 'anyone',
    rate: 'default',
    ack: z.object({ roomId: z.string(), left: z.boolean().describe('false when the socket was not in the room') }),
  }),
} as const;

/** Every error code, for payloads that carry one. */
export const errorCode = z.enum(Object.keys(ERROR_CATALOGUE) as [ErrorCode, ...ErrorCode[]]);

export const authenticatedPayload = z.object({ userId: z.string(), role: socketRole, connectionId: z.string() });
export const authErrorPayload = z.object({ code: z.enum(['AUTH_FAILED', 'TOKEN_EXPIRED']), message: z.string() });
export const errorEventPayload = z.object({ message: z.string(), code: errorCode, event: z.string().describe('the inbound event that failed'), timestamp: isoTime });
export const serverShutdownPayload = z.object({ message: z.string(), reconnect: z.literal(true) });
export type AuthenticatedPayload = z.output<typeof authenticatedPayload>;
export type AuthErrorPayload = z.output<typeof authErrorPayload>;
export type ErrorEventPayload = z.output<typeof errorEventPayload>;
export type ServerShutdownPayload = z.output<typeof serverShutdownPayload>;

export const connectionOutbound = {
  authenticated: defineOutbound({ schema: authenticatedPayload, to: 'the socket, once its token is accepted (at the handshake or by `authenticate`)' }),
  auth_error: defineOutbound({ schema: authErrorPayload, to: 'the socket: `TOKEN_EXPIRED` when its token expires unrefreshed (then it is disconnected), `AUTH_FAILED` for a failed `authenticate`' }),
  pong: defineOutbound({ schema: z.undefined(), to: 'the socket that sent `ping`' }),
  error: defineOutbound({ schema: errorEventPayload, to: 'the socket whose event failed without an acknowledgement callback, when its family has no failure event' }),
  'server:shutdown': defineOutbound({ schema: serverShutdownPayload, to: 'every socket of a node that is shutting down' }),
  heartbeat: defineOutbound({ schema: z.object({ timestamp: z.number().int().describe('epoch milliseconds') }), to: 'every socket, every `HEARTBEAT_INTERVAL_MS` (0 = off)' }),
} as const;

export type ConnectionOutbound = OutboundEvents<typeof connectionOutbound>;
