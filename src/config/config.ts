import { hostname } from 'node:os';
import { envSchema, type Env } from './schema.ts';

import type { RateClass } from '../protocol/roles.ts';
export type { RateClass };
export type RateRule = { points: number; durationS: number } | null;

/** The validated, frozen configuration every module receives. */
export interface Config {
  readonly env: Env['NODE_ENV'];
  readonly nodeId: string;
  readonly http: { readonly port: number; readonly host: string; readonly corsOrigins: readonly string[]; readonly trustProxy: boolean };
  readonly log: { readonly level: Env['LOG_LEVEL'] };
  readonly auth: {
    /** HS256 secret; undefined only until the CLI resolves a development secret. */
    readonly jwtSecret: string | undefined;
    readonly publicKeyPem: string | undefined;
    readonly jwksUrl: string | undefined;
    readonly asymmetricAlgorithms: readonly string[];
    readonly issuer: string | undefined;
    readonly audience: string | undefined;
    readonly allowAnonymous: boolean;
  };
  readonly storage: { readonly databaseUrl: string | undefined; readonly poolSize: number; readonly dataDir: string };
  readonly redisUrl: string | undefined;
  readonly redis: { readonly adapter: 'pubsub' | 'streams'; readonly presenceHeartbeatMs: number; readonly presenceTtlMs: number };
  readonly limits: {
    readonly maxConnectionsPerUser: number;
    readonly connectAttemptsPerIpPerMin: number;
    readonly maxPayloadBytes: number;
    readonly rates: Readonly<Record<RateClass, RateRule>>;
  };
  readonly shutdownDrainMs: number;
  readonly heartbeatIntervalMs: number;
  readonly profileCacheTtlMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * Parses the environment once. Every problem is listed in one error; the
 * result is frozen. Empty strings count as unset.
 */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const raw = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(raw);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  // Checked on the raw values so they are reported together with any bad value above.
  if (raw.NODE_ENV === 'production' && !raw.JWT_SECRET && !raw.JWT_PUBLIC_KEY && !raw.JWKS_URL) {
    problems.push('JWT_SECRET: required in production (or JWT_PUBLIC_KEY / JWKS_URL)');
  }
  if (raw.JWT_PUBLIC_KEY && raw.JWKS_URL) problems.push('JWT_PUBLIC_KEY and JWKS_URL: set one, not both');
  if (parsed.success && parsed.data.PRESENCE_TTL_MS < 2 * parsed.data.PRESENCE_HEARTBEAT_MS) {
    problems.push('PRESENCE_TTL_MS: must be at least twice PRESENCE_HEARTBEAT_MS, or live sockets would expire between beats');
  }
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  const e = parsed.data;

  return deepFreeze({
    env: e.NODE_ENV,
    nodeId: e.NODE_ID ?? `${hostname()}-${process.pid}`,
    http: { port: e.PORT, host: e.HOST, corsOrigins: e.CORS_ORIGINS, trustProxy: e.TRUST_PROXY },
    log: { level: e.LOG_LEVEL },
    auth: {
      jwtSecret: e.JWT_SECRET,
      publicKeyPem: e.JWT_PUBLIC_KEY?.replace(/\\n/g, '\n'),
      jwksUrl: e.JWKS_URL,
      asymmetricAlgorithms: e.JWT_ALGORITHMS,
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      allowAnonymous: e.ALLOW_ANONYMOUS,
    },
    storage: { databaseUrl: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE, dataDir: e.DATA_DIR },
    redisUrl: e.REDIS_URL,
    redis: { adapter: e.REDIS_ADAPTER, presenceHeartbeatMs: e.PRESENCE_HEARTBEAT_MS, presenceTtlMs: e.PRESENCE_TTL_MS },
    limits: {
      maxConnectionsPerUser: e.MAX_CONNECTIONS_PER_USER,
      connectAttemptsPerIpPerMin: e.CONNECT_ATTEMPTS_PER_IP_PER_MIN,
      maxPayloadBytes: e.MAX_PAYLOAD_BYTES,
      rates: { default: e.RATE_LIMIT_DEFAULT, location: e.RATE_LIMIT_LOCATION, chat: e.RATE_LIMIT_CHAT, auth: e.RATE_LIMIT_AUTH },
    },
    shutdownDrainMs: e.SHUTDOWN_DRAIN_MS,
    heartbeatIntervalMs: e.HEARTBEAT_INTERVAL_MS,
    profileCacheTtlMs: e.PROFILE_CACHE_TTL_MS,
  } satisfies Config);
}

/** A copy of `config` with the HS256 secret set (used for the generated development secret). */
export function withJwtSecret(config: Config, secret: string): Config {
  return deepFreeze({ ...config, auth: { ...config.auth, jwtSecret: secret } });
}
