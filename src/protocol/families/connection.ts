import { z } from 'zod';
import { defineInbound } from '../define.ts';
import { noPayload, text } from '../schemas.ts';
import type { ErrorCode } from '../errors.ts';
import type { SocketRole } from '../roles.ts';

const token = text().min(10).max(8192);

/** Connection and authentication events (PROTOCOL.md section 2). */
export const connectionInbound = {
  ping: defineInbound({ schema: noPayload, audience: 'anyone', rate: 'default' }),
  'auth:refresh': defineInbound({ schema: z.object({ token }), audience: 'authenticated', rate: 'auth' }),
  /** Seed 004 sends the token as a bare string; `{ token }` is accepted too. */
  authenticate: defineInbound({
    schema: z.union([token, z.object({ token }).transform((o) => o.token)]),
    audience: ['anonymous'],
    rate: 'auth',
    failure: { event: 'auth_error', payload: (error) => ({ code: 'AUTH_FAILED', message: error.message }) },
  }),
  leave_room: defineInbound({ schema: z.object({ roomId: text().min(1).max(200) }), audience: 'anyone', rate: 'default' }),
} as const;

export interface AuthenticatedPayload { userId: string; role: SocketRole; connectionId: string }
export interface AuthErrorPayload { code: Extract<ErrorCode, 'AUTH_FAILED' | 'TOKEN_EXPIRED'>; message: string }
export interface ErrorEventPayload { message: string; code: ErrorCode; event: string; timestamp: string }
export interface ServerShutdownPayload { message: string; reconnect: true }
export interface RoomLeftPayload { roomId: string }

export interface ConnectionOutbound {
  authenticated: (p: AuthenticatedPayload) => void;
  auth_error: (p: AuthErrorPayload) => void;
  pong: () => void;
  error: (p: ErrorEventPayload) => void;
  'server:shutdown': (p: ServerShutdownPayload) => void;
  heartbeat: (p: { timestamp: number }) => void;
}
