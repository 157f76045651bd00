import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TokenVerifier, VerifiedToken } from '../auth/token-verifier.ts';
import { AppError } from '../core/errors.ts';
import type { Role } from '../protocol/roles.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: VerifiedToken;
  }
}

/** preHandler: a Bearer token of one of `roles`, else 401 / 403. */
export function requireRole(verifier: TokenVerifier, roles: readonly Role[] = ['admin', 'service']) {
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const header = req.headers.authorization;
    const token = typeof header === 'string' ? header.match(/^Bearer\s+(.+)$/i)?.[1] : undefined;
    if (!token) throw new AppError('AUTH_FAILED', 'Bearer token required');
    const principal = await verifier.verify(token);
    if (!roles.includes(principal.role)) throw new AppError('FORBIDDEN', `Requires role ${roles.join(' or ')}`);
    req.principal = principal;
  };
}
