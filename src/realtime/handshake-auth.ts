import type { ExtendedError } from 'socket.io';
import { verifyAccount } from '../auth/identity.ts';
import type { TokenVerifier } from '../auth/token-verifier.ts';
import type { Clock } from '../core/clock.ts';
import type { ProxyTrust } from '../core/client-address.ts';
import { AppError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { UsersService } from '../modules/users/index.ts';
import type { SocketData } from '../protocol/index.ts';
import { clientIp, noHandshakeLimits, type HandshakeLimits } from './request-guard.ts';
import type { LivegateSocket } from './types.ts';

/** What the handshake needs from the HTTP request, kept after the request itself is dropped. */
export interface HandshakeExtract {
  authorization: string | undefined;
  queryToken: string | undefined;
  /** The client's address (request-guard.ts `clientIp`): the key of per-address limits. */
  address: string;
}

/** Engine.IO socket → its handshake extract. */
export type HandshakeStash = WeakMap<object, HandshakeExtract>;

export function extractHandshake(req: Parameters<typeof clientIp>[0], trustProxy: ProxyTrust): HandshakeExtract {
  const auth = req.headers.authorization;
  const token = new URL(req.url ?? '/', 'http://x').searchParams.get('token');
  return { authorization: typeof auth === 'string' ? auth : undefined, queryToken: token ?? undefined, address: clientIp(req, trustProxy) };
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

/** A handshake refused by a per-address limit (PROTOCOL.md section 2). */
export function rateLimitError(retryAfterMs: number): ExtendedError {
  const message = 'Too many connection attempts from this address';
  const err: ExtendedError = new Error(message);
  err.data = { code: 'RATE_LIMIT_EXCEEDED', message, retryAfterMs };
  return err;
}

export interface IdentityDeps {
  verifier: TokenVerifier;
  users: UsersService;
  clock: Clock;
}

/** Who a socket is: what a token and its account say (the socket's address and start stay as they were). */
export type SocketIdentity = Omit<SocketData, 'connectedAt' | 'address'>;

/** Verifies a token and checks the account (auth/identity.ts, shared with HTTP); the identity a socket carries, or a thrown AppError. */
export async function resolveIdentity(deps: IdentityDeps, token: string): Promise<SocketIdentity> {
  const { claims, profile } = await verifyAccount(deps, token);
  if (claims.role === 'service') throw new AppError('AUTH_FAILED', 'Service tokens may not open sockets');
  return { userId: claims.sub, role: claims.role, name: profile?.name ?? claims.name, expiresAt: claims.expiresAt };
}

export interface HandshakeAuthDeps extends IdentityDeps {
  stash: HandshakeStash;
  allowAnonymous: boolean;
  /** Per-address limits (request-guard.ts); none when omitted. */
  limits?: HandshakeLimits;
  log: Logger;
}

/**
 * Namespace middleware: per-address limits, then the token, before any room
 * is joined. Refusals here reach socket.io-client as `connect_error` with
 * `err.data.code` on both transports (Engine.IO's `allowRequest` cannot).
 */
export function createHandshakeAuth(deps: HandshakeAuthDeps) {
  const limits = deps.limits ?? noHandshakeLimits;
  return async (socket: LivegateSocket, next: (err?: ExtendedError) => void): Promise<void> => {
    const connectedAt = new Date(deps.clock.now()).toISOString();
    const extract = deps.stash.get(socket.conn);
    const address = extract?.address ?? socket.handshake.address;
    const admitted = await limits.admit(address);
    if (!admitted.allowed) return next(rateLimitError(admitted.retryAfterMs));
    const token = tokenFrom(socket.handshake.auth, extract);
    if (!token) {
      if (!deps.allowAnonymous) return next(connectError('AUTH_FAILED', 'Authentication token required'));
      socket.data = { userId: `anon:${socket.id}`, role: 'anonymous', name: undefined, expiresAt: 0, connectedAt, address };
      return next();
    }
    try {
      socket.data = { ...(await resolveIdentity(deps, token)), connectedAt, address };
      next();
    } catch (err) {
      if (err instanceof AppError && err.code === 'AUTH_FAILED') {
        const counted = await limits.failed(address);
        return next(counted.allowed ? connectError(err.code, err.message) : rateLimitError(counted.retryAfterMs));
      }
      if (err instanceof AppError && err.code === 'FORBIDDEN') return next(connectError(err.code, err.message));
      deps.log.error({ err }, 'handshake failed');
      next(connectError('INTERNAL_ERROR', 'Internal server error'));
    }
  };
}
