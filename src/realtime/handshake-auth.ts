import type { ExtendedError } from 'socket.io';
import type { TokenVerifier } from '../auth/token-verifier.ts';
import type { Clock } from '../core/clock.ts';
import { AppError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { UsersService } from '../modules/users/index.ts';
import type { SocketData } from '../protocol/index.ts';
import type { LivegateSocket } from './types.ts';

/** What the handshake needs from the HTTP request, kept after the request itself is dropped. */
export interface HandshakeExtract {
  authorization: string | undefined;
  queryToken: string | undefined;
}

/** Engine.IO socket → its handshake extract. */
export type HandshakeStash = WeakMap<object, HandshakeExtract>;

export function extractHandshake(req: { headers: Record<string, string | string[] | undefined>; url?: string | undefined }): HandshakeExtract {
  const auth = req.headers.authorization;
  const token = new URL(req.url ?? '/', 'http://x').searchParams.get('token');
  return { authorization: typeof auth === 'string' ? auth : undefined, queryToken: token ?? undefined };
}

/** The token from `auth.token`, then `Authorization: Bearer`, then the `token` query parameter. */
export function tokenFrom(auth: unknown, extract: HandshakeExtract | undefined): string | undefined {
  const fromAuth = auth && typeof auth === 'object' && 'token' in auth ? (auth as { token: unknown }).token : undefined;
  if (typeof fromAuth === 'string' && fromAuth) return fromAuth;
  const bearer = extract?.authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
  return bearer ?? extract?.queryToken;
}

export function connectError(code: 'AUTH_FAILED' | 'FORBIDDEN' | 'INTERNAL_ERROR', message: string): ExtendedError {
  const err: ExtendedError = new Error(code === 'AUTH_FAILED' ? 'Invalid or expired token' : message);
  err.data = { code, message };
  return err;
}

export interface IdentityDeps {
  verifier: TokenVerifier;
  users: UsersService;
  clock: Clock;
}

/** Verifies a token and checks the account; the identity a socket carries, or a thrown AppError. */
export async function resolveIdentity(deps: IdentityDeps, token: string): Promise<Omit<SocketData, 'connectedAt'>> {
  const claims = await deps.verifier.verify(token);
  if (claims.role === 'service') throw new AppError('AUTH_FAILED', 'Service tokens may not open sockets');
  const profile = await deps.users.get(claims.sub);
  if (profile && profile.status !== 'active') throw new AppError('FORBIDDEN', `Account ${profile.status}`);
  return { userId: claims.sub, role: claims.role, name: profile?.name ?? claims.name, expiresAt: claims.expiresAt };
}

/** Namespace middleware: authenticates the handshake before any room is joined. */
export function createHandshakeAuth(deps: IdentityDeps & { stash: HandshakeStash; allowAnonymous: boolean; log: Logger }) {
  return async (socket: LivegateSocket, next: (err?: ExtendedError) => void): Promise<void> => {
    const connectedAt = new Date(deps.clock.now()).toISOString();
    const token = tokenFrom(socket.handshake.auth, deps.stash.get(socket.conn));
    if (!token) {
      if (!deps.allowAnonymous) return next(connectError('AUTH_FAILED', 'Authentication token required'));
      socket.data = { userId: `anon:${socket.id}`, role: 'anonymous', name: undefined, expiresAt: 0, connectedAt };
      return next();
    }
    try {
      socket.data = { ...(await resolveIdentity(deps, token)), connectedAt };
      next();
    } catch (err) {
      if (err instanceof AppError && (err.code === 'AUTH_FAILED' || err.code === 'FORBIDDEN')) return next(connectError(err.code, err.message));
      deps.log.error({ err }, 'handshake failed');
      next(connectError('INTERNAL_ERROR', 'Internal server error'));
    }
  };
}
