import { signToken } from '../auth/token-signer.ts';
import { resolveDevSecret } from '../config/dev-secret.ts';
import type { Config } from '../config/index.ts';
import { ROLES, type Role } from '../protocol/roles.ts';
import { UsageError, type ParsedValues } from './args.ts';

/** "90" (seconds), "30s", "15m", "1h", "7d". jose takes more ("-1h", "1h ago") but throws on the rest. */
const TTL = /^[1-9]\d*[smhd]?$/;

/** `livegate token`: prints a signed JWT. Bad flags are a UsageError. */
export async function token(config: Config, flags: ParsedValues): Promise<number> {
  const { sub, role, name, ttl } = flags;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 128 || typeof role !== 'string' || !ROLES.includes(role as Role)) {
    throw new UsageError(`token needs --sub ID (1-128 characters) and --role (${ROLES.join('|')})`);
  }
  if (ttl !== undefined && (typeof ttl !== 'string' || !TTL.test(ttl))) {
    throw new UsageError('--ttl takes a positive lifetime such as 90 (seconds), 30s, 15m, 1h or 7d');
  }
  const { auth, storage } = config;
  if (!auth.jwtSecret && !auth.publicKeyPem && !auth.jwksUrl && storage.dataDir === 'memory' && !storage.databaseUrl) {
    // A secret generated here would sign a token that no server accepts: each process generates its own.
    throw new UsageError('token with DATA_DIR=memory needs JWT_SECRET: a generated development secret lives only in the server process (set JWT_SECRET for both)');
  }
  const resolved = await resolveDevSecret(config);
  if (!resolved.config.auth.jwtSecret) {
    process.stderr.write('livegate: token signs with JWT_SECRET; none is configured (asymmetric keys are verified, not signed, here)\n');
    return 2;
  }
  const jwt = await signToken(resolved.config.auth.jwtSecret, {
    sub, role: role as Role, ...(typeof name === 'string' ? { name } : {}), ttl: ttl === undefined ? '1h' : /^\d+$/.test(ttl) ? Number(ttl) : ttl,
    ...(config.auth.issuer ? { issuer: config.auth.issuer } : {}), ...(config.auth.audience ? { audience: config.auth.audience } : {}),
  });
  process.stdout.write(jwt + '\n');
  return 0;
}
