import { AppError } from '../core/errors.ts';
import type { UsersService } from '../modules/users/index.ts';
import type { UserProfile } from '../protocol/http.ts';
import type { TokenVerifier, VerifiedToken } from './token-verifier.ts';

export interface AccountCheckDeps {
  verifier: TokenVerifier;
  /** Cached per node; a status change drops the entry on every node (profile-invalidation.ts). */
  users: Pick<UsersService, 'get'>;
}

/**
 * The one identity check of sockets and HTTP: a valid token (else AUTH_FAILED)
 * whose account, when it has a profile, is active (else FORBIDDEN). A token
 * stays valid until `exp`, so suspending an account must not wait for it.
 */
export async function verifyAccount(deps: AccountCheckDeps, token: string): Promise<{ claims: VerifiedToken; profile: UserProfile | null }> {
  const claims = await deps.verifier.verify(token);
  const profile = await deps.users.get(claims.sub);
  if (profile && profile.status !== 'active') throw new AppError('FORBIDDEN', `Account ${profile.status}`);
  return { claims, profile };
}
