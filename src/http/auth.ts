import type { FastifyReply, FastifyRequest } from 'fastify';
import { verifyAccount, type AccountCheckDeps } from '../auth/identity.ts';
import type { VerifiedToken } from '../auth/token-verifier.ts';
import { AppError } from '../core/errors.ts';
import type { Role } from '../protocol/roles.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: VerifiedToken;
  }
}

/** The token of an `Authorization: Bearer …` header, if any. */
function bearerToken(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  return typeof header === 'string' ? header.match(/^Bearer\s+(.+)$/i)?.[1] : undefined;
}

/**
 * preHandler: a Bearer token of one of `roles` whose account is active, else
 * 401 / 403. The account is checked on every call, as sockets are at their
 * handshake (auth/identity.ts): a suspended admin's token is refused at once.
 */
export function requireRole(deps: AccountCheckDeps, roles: readonly Role[] = ['admin', 'service']) {
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const token = bearerToken(req);
    if (!token) throw new AppError('AUTH_FAILED', 'Bearer token required');
    const { claims } = await verifyAccount(deps, token);
    if (!roles.includes(claims.role)) throw new AppError('FORBIDDEN', `Requires role ${roles.join(' or ')}`);
    req.principal = claims;
  };
}
