import { AppError } from '../../core/errors.ts';
import type { EventHandler } from '../event-router.ts';
import { resolveIdentity, type IdentityDeps } from '../handshake-auth.ts';
import type { Sessions } from '../sessions.ts';
import { isAutomaticRoom } from '../types.ts';

export interface ConnectionHandlerDeps extends IdentityDeps {
  sessions: Sessions;
}

/** ping, auth:refresh, authenticate, leave_room. */
export function connectionHandlers(deps: ConnectionHandlerDeps) {
  const ping: EventHandler<'ping'> = ({ emit, now }) => {
    emit('pong');
    return { serverTime: new Date(now).toISOString() };
  };

  const refresh: EventHandler<'auth:refresh'> = async ({ socket, userId }, { token }) => {
    const identity = await resolveIdentity(deps, token);
    if (identity.userId !== userId) throw new AppError('FORBIDDEN', 'Token belongs to another user');
    deps.sessions.refresh(socket, identity.expiresAt);
    return { expiresAt: new Date(identity.expiresAt).toISOString() };
  };

  const authenticate: EventHandler<'authenticate'> = async ({ socket }, token) => {
    const identity = await resolveIdentity(deps, token);
    await deps.sessions.authenticate(socket, identity);
    return { userId: identity.userId, role: identity.role };
  };

  const leaveRoom: EventHandler<'leave_room'> = async ({ socket }, { roomId }) => {
    if (isAutomaticRoom(roomId, socket)) throw new AppError('FORBIDDEN', 'Automatic rooms cannot be left');
    const member = socket.rooms.has(roomId);
    if (member) await socket.leave(roomId);
    return { roomId, left: member };
  };

  return { ping, 'auth:refresh': refresh, authenticate, leave_room: leaveRoom } as const;
}
