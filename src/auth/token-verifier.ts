import { createPublicKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey, type JWSHeaderParameters } from 'jose';
import { z } from 'zod';
import type { Clock } from '../core/clock.ts';
import { AppError } from '../core/errors.ts';
import { ROLES, type Role } from '../protocol/roles.ts';
import { text } from '../protocol/schemas.ts';

export interface VerifiedToken {
  sub: string;
  role: Role;
  name: string | undefined;
  phone: string | undefined;
  /** Expiry, epoch milliseconds. */
  expiresAt: number;
}

export interface TokenVerifier {
  /** Resolves the claims or throws AppError(AUTH_FAILED). */
  verify(token: string): Promise<VerifiedToken>;
}

const claimsSchema = z.object({
  // Claims reach storage (profiles, rooms): the same NUL-free strings as every payload.
  sub: text().min(1).max(128),
  role: z.enum(ROLES),
  name: text().max(200).optional(),
  phone: text().max(40).optional(),
  exp: z.number().int(),
});

/** How tokens are verified: an HS256 secret and/or a public key or JWKS for the asymmetric algorithms, and claim checks. */
export interface VerifierSettings {
  /** HS256 secret; undefined only until the CLI resolves a development secret. */
  readonly jwtSecret: string | undefined;
  readonly publicKeyPem: string | undefined;
  readonly jwksUrl: string | undefined;
  readonly asymmetricAlgorithms: readonly string[];
  readonly issuer: string | undefined;
  readonly audience: string | undefined;
}

/**
 * Verifies JWTs with a pinned algorithm list: HS256 only against JWT_SECRET,
 * the configured asymmetric algorithms only against the public key or JWKS.
 * `alg: none` and HS/RS confusion fail because the key is chosen by algorithm
 * family and the list never includes `none`.
 */
export function createTokenVerifier(auth: VerifierSettings, clock: Clock): TokenVerifier {
  const secret = auth.jwtSecret ? new TextEncoder().encode(auth.jwtSecret) : undefined;
  const publicKey: KeyObject | undefined = auth.publicKeyPem ? createPublicKey(auth.publicKeyPem) : undefined;
  const jwks = auth.jwksUrl ? createRemoteJWKSet(new URL(auth.jwksUrl)) : undefined;
  const asymmetric = publicKey || jwks ? [...auth.asymmetricAlgorithms] : [];
  const algorithms = [...(secret ? ['HS256'] : []), ...asymmetric];

  const getKey: JWTVerifyGetKey = async (header: JWSHeaderParameters, token) => {
    if (header.alg === 'HS256' && secret) return secret;
    if (publicKey) return publicKey;
    if (jwks) return jwks(header, token);
    throw new Error('no key for algorithm');
  };

  return {
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, getKey, {
          algorithms,
          requiredClaims: ['exp', 'sub'],
          currentDate: new Date(clock.now()),
          ...(auth.issuer ? { issuer: auth.issuer } : {}),
          ...(auth.audience ? { audience: auth.audience } : {}),
        });
        const claims = claimsSchema.parse(payload);
        return { sub: claims.sub, role: claims.role, name: claims.name, phone: claims.phone, expiresAt: claims.exp * 1000 };
      } catch {
        throw new AppError('AUTH_FAILED');
      }
    },
  };
}
