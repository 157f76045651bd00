import { SignJWT } from 'jose';
import type { Role } from '../protocol/roles.ts';

export interface TokenRequest {
  sub: string;
  role: Role;
  name?: string;
  /** Lifetime like "1h", "15m", "30s", or seconds. */
  ttl?: string | number;
  issuer?: string;
  audience?: string;
}

/** Signs an HS256 token with the configured secret (CLI `token`, development, tests). */
export async function signToken(secret: string, req: TokenRequest): Promise<string> {
  const ttl = typeof req.ttl === 'number' ? `${req.ttl}s` : (req.ttl ?? '1h');
  let jwt = new SignJWT({ role: req.role, ...(req.name ? { name: req.name } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(req.sub)
    .setIssuedAt()
    .setExpirationTime(ttl);
  if (req.issuer) jwt = jwt.setIssuer(req.issuer);
  if (req.audience) jwt = jwt.setAudience(req.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
