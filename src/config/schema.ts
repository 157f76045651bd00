import { z } from 'zod';

/** "points/seconds", e.g. "60/10" = 60 events per 10 seconds. "0" turns the class off. */
const rateSpec = z
  .string()
  // Zero points or zero seconds would refuse everything or never refill; "0" is the way to turn a class off.
  .regex(/^(0|[1-9]\d*\/[1-9]\d*)$/, 'expected "points/seconds" with both at least 1, such as "60/10", or "0" to turn off')
  .transform((s) => {
    if (s === '0') return null;
    const [points, seconds] = s.split('/').map(Number) as [number, number];
    return { points, durationS: seconds };
  });

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Decimal digits only: Number() would also take " " (0), "1e3" and "0x10". */
const int = (min: number, max: number) =>
  z.string().trim().regex(/^\d+$/, 'expected a whole number').transform(Number).pipe(z.number().int().min(min).max(max));

const csv = z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

/**
 * Every environment variable Livegate reads, with its default. This is the
 * only place that knows variable names; the rest of the code gets `Config`.
 */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  NODE_ID: z.string().min(1).max(64).optional(),
  PORT: int(0, 65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_PUBLIC_KEY: z.string().min(1).optional(),
  JWKS_URL: z.url().optional(),
  JWT_ALGORITHMS: csv.pipe(z.array(z.enum(['RS256', 'ES256', 'EdDSA', 'PS256'])).min(1)).default(['RS256', 'ES256', 'EdDSA']),
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: z.string().min(1).optional(),
  ALLOW_ANONYMOUS: bool.default(false),

  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  DATABASE_POOL_SIZE: int(1, 200).default(10),
  DATA_DIR: z.string().min(1).default('./data'),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').optional(),
  /** Socket.IO adapter across nodes when REDIS_URL is set (docs/scaling.md). */
  REDIS_ADAPTER: z.enum(['pubsub', 'streams']).default('pubsub'),
  /** Connection-registry heartbeat: a dead node's sockets vanish after the TTL. */
  PRESENCE_HEARTBEAT_MS: int(100, 600_000).default(5_000),
  PRESENCE_TTL_MS: int(300, 3_600_000).default(15_000),

  CORS_ORIGINS: csv.default(['http://localhost:3000']),
  TRUST_PROXY: bool.default(false),
  MAX_CONNECTIONS_PER_USER: int(1, 1000).default(5),
  CONNECT_ATTEMPTS_PER_IP_PER_MIN: int(0, 1_000_000).default(10),
  MAX_PAYLOAD_BYTES: int(1024, 16 * 1024 * 1024).default(64 * 1024),
  RATE_LIMIT_DEFAULT: rateSpec.prefault('60/10'),
  RATE_LIMIT_LOCATION: rateSpec.prefault('50/10'),
  RATE_LIMIT_CHAT: rateSpec.prefault('30/10'),
  RATE_LIMIT_AUTH: rateSpec.prefault('10/60'),
  SHUTDOWN_DRAIN_MS: int(0, 600_000).default(10_000),
  HEARTBEAT_INTERVAL_MS: int(0, 3_600_000).default(30_000),
  PROFILE_CACHE_TTL_MS: int(0, 3_600_000).default(30_000),
});

export type Env = z.output<typeof envSchema>;
