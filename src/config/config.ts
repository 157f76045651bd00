import { hostname } from 'node:os';
import { envSchema, webhookSecret, WEBHOOK_SECRET_ENV, type Env } from './schema.ts';
import type { StorageSettings } from '../storage/index.ts';
import type { VerifierSettings } from '../auth/token-verifier.ts';

import type { RateClass } from '../protocol/roles.ts';
// Trips and dispatch: the module's settings type is the config group.
import type { TripsSettings } from '../modules/trips/index.ts';
// Locations, fleet and geofences: the modules' settings types make up the config group.
import type { EtaSettings, FixLimits, HistoryWriterSettings } from '../modules/locations/index.ts';
import type { FleetSettings, GeofenceSettings } from '../modules/fleet/index.ts';
// Notifications and alerts: the modules' settings types make up the config group.
import type { NotificationsSettings, PushSettings } from '../modules/notifications/index.ts';
import type { StreamsSettings } from '../modules/streams/index.ts';
import type { AlertsSettings } from '../modules/alerts/index.ts';
// Payments and wallet: the module's settings type is the config group.
import type { PaymentsSettings } from '../modules/payments/index.ts';
// Chat (family F): the module's settings type plus the typing rate make up the config group.
import type { ChatSettings } from '../modules/chat/index.ts';
export type { RateClass };
export type RateRule = { points: number; durationS: number } | null;

/** The validated, frozen configuration every module receives. */
export interface Config {
  readonly env: Env['NODE_ENV'];
  readonly nodeId: string;
  readonly http: { readonly port: number; readonly host: string; readonly corsOrigins: readonly string[]; readonly trustProxy: readonly string[]; readonly metricsPublic: boolean };
  readonly log: { readonly level: Env['LOG_LEVEL'] };
  readonly auth: VerifierSettings & { readonly allowAnonymous: boolean };
  readonly storage: StorageSettings;
  readonly redisUrl: string | undefined;
  readonly redis: { readonly adapter: 'pubsub' | 'streams'; readonly presenceHeartbeatMs: number; readonly presenceTtlMs: number };
  readonly limits: {
    readonly maxConnectionsPerUser: number;
    readonly connectAttemptsPerIpPerMin: number;
    readonly authFailuresPerIpPerMin: number;
    readonly maxPayloadBytes: number;
    readonly rates: Readonly<Record<RateClass, RateRule>>;
  };
  readonly shutdownDrainMs: number;
  readonly heartbeatIntervalMs: number;
  /** Plain WebSocket and Server-Sent Events (src/realtime/transports/). */
  readonly transports: { readonly wsPingIntervalMs: number; readonly wsPingTimeoutMs: number; readonly wsAuthTimeoutMs: number; readonly sseKeepAliveMs: number };
  readonly profileCacheTtlMs: number;
  /** Trips and dispatch. */
  readonly trips: TripsSettings;
  /** Locations, fleet and geofences. */
  readonly locations: {
    readonly minIntervalMs: number;
    readonly driverStaleAfterMs: number;
    readonly tripCacheMs: number;
    readonly limits: FixLimits;
    readonly eta: EtaSettings;
    readonly history: HistoryWriterSettings;
    readonly geoCellSizeM: number;
    readonly feedBatchMs: number;
    readonly fleet: FleetSettings & { readonly trackingIntervalMs: number; readonly positionFlushMs: number; readonly geofences: GeofenceSettings };
  };
  /** Notifications, push relay and emergency alerts. `push` is undefined when PUSH_WEBHOOK_URL is unset. */
  readonly notifications: NotificationsSettings & {
    readonly batchWindowMs: number;
    readonly push: PushSettings | undefined;
    readonly alerts: AlertsSettings;
  };
  /** Payments and wallet. A gateway is undefined when its URL is unset. */
  readonly payments: PaymentsSettings;
  /** Webhook senders: secret by source name in lower case (WEBHOOK_SECRET_TICKETS → `tickets`). */
  readonly webhooks: { readonly secrets: Readonly<Record<string, string>> };
  /** Chat (family F). */
  readonly chat: ChatSettings & { readonly typingRate: RateRule };
  /** The operator dashboard: map tiles and the position batch interval. */
  readonly dashboard: { readonly tileUrl: string; readonly tileAttribution: string; readonly batchMs: number };
  /** Durable per-user streams; `retentionMs` 0 = off. */
  readonly streams: StreamsSettings;
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
  // Locations: the alarm must re-arm above where it fires.
  if (parsed.success && parsed.data.VEHICLE_FUEL_REARM_PERCENT < parsed.data.VEHICLE_LOW_FUEL_PERCENT) problems.push('VEHICLE_FUEL_REARM_PERCENT: must not be below VEHICLE_LOW_FUEL_PERCENT');
  if (parsed.success && parsed.data.PRESENCE_TTL_MS < 2 * parsed.data.PRESENCE_HEARTBEAT_MS) {
    problems.push('PRESENCE_TTL_MS: must be at least twice PRESENCE_HEARTBEAT_MS, or live sockets would expire between beats');
  }
  // Notifications: an unsigned push would let anyone forge one.
  if (raw.PUSH_WEBHOOK_URL && !raw.PUSH_WEBHOOK_SECRET) problems.push('PUSH_WEBHOOK_SECRET: required with PUSH_WEBHOOK_URL');
  if (parsed.success && parsed.data.PUSH_RETRY_MAX_MS < parsed.data.PUSH_RETRY_BASE_MS) problems.push('PUSH_RETRY_MAX_MS: must not be below PUSH_RETRY_BASE_MS');
  // Payments: a gateway URL needs the signing secret.
  if ((raw.PAYMENT_EBS_URL || raw.PAYMENT_CYBERPAY_URL) && !raw.PAYMENT_GATEWAY_SECRET) problems.push('PAYMENT_GATEWAY_SECRET: required with PAYMENT_EBS_URL or PAYMENT_CYBERPAY_URL');
  // Webhooks: WEBHOOK_SECRET_<SOURCE> names are dynamic, so they are gathered here rather than in the schema.
  const webhookSecrets: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    const source = WEBHOOK_SECRET_ENV.exec(name)?.[1];
    if (!source) continue;
    const secret = webhookSecret.safeParse(value);
    if (secret.success) webhookSecrets[source.toLowerCase()] = secret.data;
    else problems.push(`${name}: ${secret.error.issues[0]?.message ?? 'invalid'}`);
  }
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  const e = parsed.data;

  return deepFreeze({
    env: e.NODE_ENV,
    nodeId: e.NODE_ID ?? `${hostname()}-${process.pid}`,
    http: { port: e.PORT, host: e.HOST, corsOrigins: e.CORS_ORIGINS, trustProxy: e.TRUST_PROXY, metricsPublic: e.METRICS_PUBLIC },
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
      authFailuresPerIpPerMin: e.AUTH_FAILURES_PER_IP_PER_MIN,
      maxPayloadBytes: e.MAX_PAYLOAD_BYTES,
      rates: { default: e.RATE_LIMIT_DEFAULT, location: e.RATE_LIMIT_LOCATION, chat: e.RATE_LIMIT_CHAT, auth: e.RATE_LIMIT_AUTH },
    },
    shutdownDrainMs: e.SHUTDOWN_DRAIN_MS,
    heartbeatIntervalMs: e.HEARTBEAT_INTERVAL_MS,
    transports: { wsPingIntervalMs: e.WS_PING_INTERVAL_MS, wsPingTimeoutMs: e.WS_PING_TIMEOUT_MS, wsAuthTimeoutMs: e.WS_AUTH_TIMEOUT_MS, sseKeepAliveMs: e.SSE_KEEPALIVE_MS },
    profileCacheTtlMs: e.PROFILE_CACHE_TTL_MS,
    // Trips and dispatch.
    trips: {
      driverStaleAfterS: e.DRIVER_STALE_AFTER_S,
      detourFactor: e.DETOUR_FACTOR,
      urbanSpeedKmh: e.TRIP_URBAN_SPEED_KMH,
      tariffs: { standard: e.TRIP_TARIFF_STANDARD, premium: e.TRIP_TARIFF_PREMIUM, shared: e.TRIP_TARIFF_SHARED, delivery: e.TRIP_TARIFF_DELIVERY },
      offerTtlS: e.TRIP_OFFER_TTL_S,
      offerResendS: e.TRIP_OFFER_RESEND_S,
      searchTimeoutS: e.TRIP_SEARCH_TIMEOUT_S,
      dispatchRadiiM: e.TRIP_DISPATCH_RADII_M,
      offersPerWave: e.TRIP_OFFERS_PER_WAVE,
      emptyWaveRetryS: e.TRIP_EMPTY_WAVE_RETRY_S,
      sweepIntervalMs: e.TRIP_SWEEP_INTERVAL_MS,
    },
    // Locations, fleet and geofences; staleness and detour are shared with trips.
    locations: {
      minIntervalMs: e.LOCATION_MIN_INTERVAL_MS,
      driverStaleAfterMs: e.DRIVER_STALE_AFTER_S * 1000,
      tripCacheMs: e.LOCATION_TRIP_CACHE_MS,
      limits: { maxFutureSkewMs: e.LOCATION_MAX_FUTURE_SKEW_MS, maxAgeMs: e.LOCATION_MAX_AGE_S * 1000, maxSpeedKmh: e.LOCATION_MAX_SPEED_KMH, jitterM: e.LOCATION_JITTER_M },
      eta: { detourFactor: e.DETOUR_FACTOR, urbanSpeedKmh: e.TRIP_URBAN_SPEED_KMH, minPlausibleKmh: e.LOCATION_ETA_MIN_SPEED_KMH, maxPlausibleKmh: e.LOCATION_ETA_MAX_SPEED_KMH },
      history: { flushMs: e.LOCATION_HISTORY_FLUSH_MS, batchRows: e.LOCATION_HISTORY_BATCH, maxBuffered: e.LOCATION_HISTORY_MAX_BUFFER },
      geoCellSizeM: e.GEO_CELL_SIZE_M,
      feedBatchMs: e.POSITION_FEED_BATCH_MS,
      fleet: {
        lowFuelPercent: e.VEHICLE_LOW_FUEL_PERCENT,
        fuelRearmPercent: e.VEHICLE_FUEL_REARM_PERCENT,
        maxFutureSkewMs: e.LOCATION_MAX_FUTURE_SKEW_MS,
        assignmentRefreshMs: 30_000,
        trackingIntervalMs: e.VEHICLE_TRACKING_INTERVAL_MS,
        positionFlushMs: e.LOCATION_HISTORY_FLUSH_MS,
        geofences: { marginM: e.GEOFENCE_MARGIN_M, refreshMs: e.GEOFENCE_REFRESH_MS },
      },
    },
    // Notifications, push relay and emergency alerts.
    notifications: {
      batchWindowMs: e.NOTIFICATION_BATCH_WINDOW_MS,
      bulkMax: e.NOTIFICATION_BULK_MAX,
      push: e.PUSH_WEBHOOK_URL && e.PUSH_WEBHOOK_SECRET
        ? {
          url: e.PUSH_WEBHOOK_URL, secret: e.PUSH_WEBHOOK_SECRET, maxAttempts: e.PUSH_MAX_ATTEMPTS, retryBaseMs: e.PUSH_RETRY_BASE_MS,
          retryMaxMs: e.PUSH_RETRY_MAX_MS, timeoutMs: e.PUSH_TIMEOUT_MS, concurrency: e.PUSH_CONCURRENCY, sweepIntervalMs: e.PUSH_SWEEP_INTERVAL_MS,
        }
        : undefined,
      alerts: { autoExpireMs: e.ALERT_AUTO_EXPIRE_S * 1000, replayLimit: e.ALERT_REPLAY_LIMIT },
    },
    webhooks: { secrets: webhookSecrets },
    // Payments and wallet.
    payments: {
      rates: { platformFeeBp: e.PAYMENT_PLATFORM_FEE_PERCENT, commissionBp: e.PAYMENT_COMMISSION_PERCENT },
      currency: e.PAYMENT_CURRENCY,
      claimTtlMs: e.PAYMENT_CLAIM_TTL_MS,
      gateways: {
        ebs: e.PAYMENT_EBS_URL && e.PAYMENT_GATEWAY_SECRET ? { url: e.PAYMENT_EBS_URL, secret: e.PAYMENT_GATEWAY_SECRET, timeoutMs: e.PAYMENT_GATEWAY_TIMEOUT_MS } : undefined,
        cyberpay: e.PAYMENT_CYBERPAY_URL && e.PAYMENT_GATEWAY_SECRET ? { url: e.PAYMENT_CYBERPAY_URL, secret: e.PAYMENT_GATEWAY_SECRET, timeoutMs: e.PAYMENT_GATEWAY_TIMEOUT_MS } : undefined,
      },
    },
    // Chat (family F).
    chat: { encryptionKeys: e.CHAT_ENCRYPTION_KEY ?? [], tripRoomCloseAfterMs: e.CHAT_TRIP_CLOSE_AFTER_S * 1000, typingRate: e.CHAT_TYPING_RATE },
    // Operator dashboard.
    dashboard: { tileUrl: e.DASHBOARD_TILE_URL === 'none' ? '' : e.DASHBOARD_TILE_URL, tileAttribution: e.DASHBOARD_TILE_ATTRIBUTION, batchMs: e.DASHBOARD_BATCH_MS },
    streams: { retentionMs: e.STREAM_RETENTION_H * 3_600_000 },
  } satisfies Config);
}

/** A copy of `config` with the HS256 secret set (used for the generated development secret). */
export function withJwtSecret(config: Config, secret: string): Config {
  return deepFreeze({ ...config, auth: { ...config.auth, jwtSecret: secret } });
}
