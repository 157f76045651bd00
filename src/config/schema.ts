import { isIP } from 'node:net';
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

/** Where PGlite and the generated development secret live when DATA_DIR is unset. */
export const DEFAULT_DATA_DIR = './data';

/** Decimal digits only: Number() would also take " " (0), "1e3" and "0x10". */
const int = (min: number, max: number) =>
  z.string().trim().regex(/^\d+$/, 'expected a whole number').transform(Number).pipe(z.number().int().min(min).max(max));

// Payments: "15" or "12.5" percent → basis points, by string (no float arithmetic on rates).
const percentBp = z.string().trim().regex(/^\d{1,2}(\.\d{1,2})?$|^100$/, 'expected a percentage such as 15 or 12.5')
  .transform((s) => { const [w = '0', f = ''] = s.split('.'); return Number(w) * 100 + Number(f.padEnd(2, '0')); });

const csv = z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

/**
 * An Origin header as browsers send it: scheme://host[:port], with no path (not
 * even "/"), query, fragment or credentials. Anything else never equals a
 * request's Origin, so the app would refuse every browser without a word.
 */
const ORIGIN = /^[a-z][a-z\d+.-]*:\/\/(\[[\da-f:.]+\]|[^\s/?#@:[\]]+)(:\d{1,5})?$/i;
const originList = csv.superRefine((origins, ctx) => {
  for (const origin of origins) {
    if (origin !== '*' && !ORIGIN.test(origin)) {
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(origin)} is not an origin: expected scheme://host[:port] with no path or trailing slash, such as http://localhost:3000 (or * alone)` });
    }
  }
  if (origins.includes('*') && origins.length > 1) ctx.addIssue({ code: 'custom', message: '* allows every origin: set it alone, not in a list' });
});

/** "10.0.0.7", "10.0.0.0/8", "::1", "fd00::/8". */
function isAddressOrCidr(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

/**
 * TRUST_PROXY: the proxies whose X-Forwarded-For is believed, as addresses and
 * CIDRs. `true` means loopback only (a proxy on the same machine), never
 * "everyone": trusting every peer would let any client pick its own address
 * (and `1` is not a hop count here: hop counts trust whatever peer is next).
 */
const proxyList = z.string().trim().transform((s, ctx) => {
  // The boolean spellings TRUST_PROXY used to take.
  if (['false', 'no', '0'].includes(s)) return [];
  if (['true', 'yes', '1'].includes(s)) return ['127.0.0.0/8', '::1'];
  const entries = s.split(',').map((x) => x.trim()).filter(Boolean);
  for (const entry of entries.filter((e) => !isAddressOrCidr(e))) {
    ctx.addIssue({ code: 'custom', message: `"${entry}" is not an IP address or CIDR (expected e.g. "127.0.0.1,10.0.0.0/8,fd00::/8", or true = loopback)` });
  }
  return entries;
});

// --- Chat: CHAT_ENCRYPTION_KEY, "keyId:base64[,keyId:base64…]", each key 32 bytes. ---
const chatKeys = csv.transform((entries, ctx) => {
  const keys = entries.map((entry) => {
    const [keyId = '', key = ''] = entry.split(':');
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(keyId) || Buffer.from(key, 'base64').length !== 32 || !/^[A-Za-z0-9+/]+={0,2}$/.test(key)) {
      ctx.addIssue({ code: 'custom', message: 'expected keyId:base64 of 32 bytes (keyId: 1-32 of A-Z a-z 0-9 _ -), comma-separated' });
    }
    return { id: keyId, key };
  });
  if (new Set(keys.map((k) => k.id)).size !== keys.length) ctx.addIssue({ code: 'custom', message: 'key ids must differ' });
  if (keys.length === 0) ctx.addIssue({ code: 'custom', message: 'no key given' });
  return keys;
});

// --- Trips and dispatch: decimals, tariffs, radius lists. ---
const decimal = (min: number, max: number) =>
  z.string().trim().regex(/^\d+(\.\d+)?$/, 'expected a decimal number such as 1.3').transform(Number).pipe(z.number().min(min).max(max));
/** "12.5" → 1250, by string: money never goes through float arithmetic. */
const minorUnits = (amount: string): number => {
  const [whole = '0', fraction = ''] = amount.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
};
const money = String.raw`\d{1,7}(\.\d{1,2})?`;
/** "base,perKm,perMinute,minimum" in currency units with at most two decimals → integer minor units. */
const tariffSpec = z
  .string()
  .trim()
  .regex(new RegExp(`^${money}(,${money}){3}$`), 'expected "base,perKm,perMinute,minimum" with at most two decimals, such as "5.00,1.20,0.25,8.00"')
  .transform((s) => {
    const [baseMinor, perKmMinor, perMinuteMinor, minimumMinor] = s.split(',').map(minorUnits) as [number, number, number, number];
    return { baseMinor, perKmMinor, perMinuteMinor, minimumMinor };
  });
/** Wave radii in metres, ascending: "3000,5000,8000". */
const radiiSpec = csv
  .pipe(z.array(z.string().regex(/^\d+$/, 'expected whole metres').transform(Number).pipe(z.number().int().min(50).max(200_000))).min(1).max(20))
  .refine((r) => r.every((m, i) => i === 0 || m > r[i - 1]!), 'must be ascending');
// --- end trips ---

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
  DATA_DIR: z.string().min(1).default(DEFAULT_DATA_DIR),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').optional(),
  /** Socket.IO adapter across nodes when REDIS_URL is set (docs/scaling.md). */
  REDIS_ADAPTER: z.enum(['pubsub', 'streams']).default('pubsub'),
  /** Connection-registry heartbeat: a dead node's sockets vanish after the TTL. */
  PRESENCE_HEARTBEAT_MS: int(100, 600_000).default(5_000),
  PRESENCE_TTL_MS: int(300, 3_600_000).default(15_000),

  CORS_ORIGINS: originList.default(['http://localhost:3000']),
  /** Proxy addresses/CIDRs whose X-Forwarded-For is believed (`true` = loopback); unset = none. */
  TRUST_PROXY: proxyList.default([]),
  MAX_CONNECTIONS_PER_USER: int(1, 1000).default(5),
  /** Failed handshakes (bad or expired tokens) per address per minute before the address is refused (0 = off). */
  AUTH_FAILURES_PER_IP_PER_MIN: int(0, 1_000_000).default(30),
  /** All handshakes per address per minute (0 = off: carrier NAT puts thousands of riders behind one address). */
  CONNECT_ATTEMPTS_PER_IP_PER_MIN: int(0, 1_000_000).default(0),
  /** GET /metrics without a token (otherwise only from loopback, or with an admin/service token). */
  METRICS_PUBLIC: bool.default(false),
  MAX_PAYLOAD_BYTES: int(1024, 16 * 1024 * 1024).default(64 * 1024),
  RATE_LIMIT_DEFAULT: rateSpec.prefault('60/10'),
  RATE_LIMIT_LOCATION: rateSpec.prefault('50/10'),
  RATE_LIMIT_CHAT: rateSpec.prefault('30/10'),
  RATE_LIMIT_AUTH: rateSpec.prefault('10/60'),
  SHUTDOWN_DRAIN_MS: int(0, 600_000).default(10_000),
  HEARTBEAT_INTERVAL_MS: int(0, 3_600_000).default(30_000),
  /** Plain WebSocket (`GET /ws`): a protocol-level ping this often; a peer that has not answered by the next ping (at most ping + timeout) is cut off. Socket.IO's own: 25 s / 20 s. */
  WS_PING_INTERVAL_MS: int(50, 600_000).default(25_000),
  WS_PING_TIMEOUT_MS: int(50, 600_000).default(20_000),
  /** `GET /ws` without a token in the request: the first frame must be `authenticate` within this many ms (else close 4001). */
  WS_AUTH_TIMEOUT_MS: int(50, 60_000).default(5_000),
  /** `GET /events`: a `: keep-alive` comment this often. */
  SSE_KEEPALIVE_MS: int(50, 600_000).default(15_000),
  PROFILE_CACHE_TTL_MS: int(0, 3_600_000).default(30_000),

  // --- Trips and dispatch (family A). ---
  /** Drivers without a position fix for this long are not offered trips (shared with the location pipeline). */
  DRIVER_STALE_AFTER_S: int(1, 3600).default(60),
  /** Road distance = great-circle distance × this. */
  DETOUR_FACTOR: decimal(1, 5).default(1.3),
  TRIP_URBAN_SPEED_KMH: decimal(1, 200).default(25),
  TRIP_OFFER_TTL_S: int(5, 3600).default(120),
  /** An unanswered offer is sent again this often while it is live (a lost cross-node emit is not fatal); 0 = never. */
  TRIP_OFFER_RESEND_S: int(0, 3600).default(10),
  TRIP_SEARCH_TIMEOUT_S: int(10, 86_400).default(300),
  TRIP_DISPATCH_RADII_M: radiiSpec.default([3000, 5000, 8000]),
  TRIP_OFFERS_PER_WAVE: int(1, 1000).default(20),
  TRIP_EMPTY_WAVE_RETRY_S: int(1, 3600).default(10),
  TRIP_SWEEP_INTERVAL_MS: int(0, 600_000).default(1000),
  TRIP_TARIFF_STANDARD: tariffSpec.prefault('5.00,1.20,0.25,8.00'),
  TRIP_TARIFF_PREMIUM: tariffSpec.prefault('8.00,2.00,0.40,12.00'),
  TRIP_TARIFF_SHARED: tariffSpec.prefault('3.00,0.90,0.15,5.00'),
  TRIP_TARIFF_DELIVERY: tariffSpec.prefault('4.00,1.00,0.10,6.00'),
  // --- end trips ---

  // --- Locations, fleet and geofences (family B). ---
  /** Position emits per driver (and `vehicle:location` per vehicle) at most this often; the latest wins. */
  LOCATION_MIN_INTERVAL_MS: int(0, 60_000).default(1_000),
  /** A jump implying more than this speed is refused (teleport). */
  LOCATION_MAX_SPEED_KMH: int(10, 5_000).default(250),
  /** GPS scatter every jump may add on top of speed × time (the fix's `accuracy` raises it). */
  LOCATION_JITTER_M: int(0, 100_000).default(50),
  /** How far ahead of the server's clock a fix timestamp may be. */
  LOCATION_MAX_FUTURE_SKEW_MS: int(0, 600_000).default(5_000),
  /** Fixes older than this are refused. */
  LOCATION_MAX_AGE_S: int(1, 86_400).default(300),
  /** Recent speeds outside this band do not drive the ETA (the urban default does). */
  LOCATION_ETA_MIN_SPEED_KMH: int(0, 200).default(8),
  LOCATION_ETA_MAX_SPEED_KMH: int(1, 500).default(130),
  /** A driver's active trip is looked up again after this long; a trip change on any node drops it at once. */
  LOCATION_TRIP_CACHE_MS: int(0, 3_600_000).default(60_000),
  /** History batching: flush every N ms or every M rows; at most this many rows wait while the database is away. */
  LOCATION_HISTORY_FLUSH_MS: int(10, 60_000).default(500),
  LOCATION_HISTORY_BATCH: int(1, 10_000).default(500),
  LOCATION_HISTORY_MAX_BUFFER: int(100, 10_000_000).default(100_000),
  /** Grid cell of the nearby-driver index (metres along a meridian). */
  GEO_CELL_SIZE_M: int(10, 1_000_000).default(500),
  /** With REDIS_URL: positions are published to the other nodes in batches this often. */
  POSITION_FEED_BATCH_MS: int(0, 5_000).default(50),
  VEHICLE_LOW_FUEL_PERCENT: decimal(0, 100).default(15),
  /** The low-fuel alarm re-arms only above this (hysteresis). */
  VEHICLE_FUEL_REARM_PERCENT: decimal(0, 100).default(20),
  /** `tracking:update` at most once per vehicle per this. */
  VEHICLE_TRACKING_INTERVAL_MS: int(0, 60_000).default(1_000),
  /** Leaving a geofence takes being this far outside it (no flapping on GPS jitter). */
  GEOFENCE_MARGIN_M: int(0, 10_000).default(30),
  /** Geofences created or deleted on another node are seen within this. */
  GEOFENCE_REFRESH_MS: int(100, 3_600_000).default(5_000),
  // --- end locations ---

  // --- Notifications, push relay and emergency alerts (families D and E). ---
  /** A burst to one user within this window goes out as its first notification, then one `notifications:batch` (0 = off). */
  NOTIFICATION_BATCH_WINDOW_MS: int(0, 60_000).default(0),
  /** Most recipients one `POST /api/notifications` may name. */
  NOTIFICATION_BULK_MAX: int(1, 100_000).default(10_000),
  /** Users without a live socket get a signed POST here (unset = no push). */
  PUSH_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** HMAC-SHA256 key of `x-livegate-signature`; required with PUSH_WEBHOOK_URL. */
  PUSH_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  PUSH_MAX_ATTEMPTS: int(1, 50).default(6),
  PUSH_RETRY_BASE_MS: int(10, 3_600_000).default(2_000),
  PUSH_RETRY_MAX_MS: int(10, 86_400_000).default(300_000),
  PUSH_TIMEOUT_MS: int(100, 120_000).default(5_000),
  PUSH_CONCURRENCY: int(1, 256).default(8),
  /** How often each node looks for due push retries and abandoned claims (0 = never; tests drive it). */
  PUSH_SWEEP_INTERVAL_MS: int(0, 600_000).default(1_000),
  /** Unacknowledged alerts raised with `autoExpire` are not re-sent to admins after this. */
  ALERT_AUTO_EXPIRE_S: int(1, 30 * 86_400).default(3_600),
  /** Most unacknowledged alerts re-sent to an admin who connects. */
  ALERT_REPLAY_LIMIT: int(0, 1_000).default(50),
  // --- end notifications ---

  // --- Payments and wallet (family C). ---
  /** Added to the fare and charged to the passenger, percent of the fare ("10" = 10 %, at most two decimals). */
  PAYMENT_PLATFORM_FEE_PERCENT: percentBp.prefault('10'),
  /** The platform's share of the fare; the driver earns the rest ("15" = 15 %). */
  PAYMENT_COMMISSION_PERCENT: percentBp.prefault('15'),
  PAYMENT_CURRENCY: z.string().trim().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as SDG').default('SDG'),
  /** How long a node holds a payment attempt before another may take it over; keep above PAYMENT_GATEWAY_TIMEOUT_MS. */
  PAYMENT_CLAIM_TTL_MS: int(1_000, 3_600_000).default(60_000),
  /** External gateways; unset = the method answers PAYMENT_METHOD_UNAVAILABLE. */
  PAYMENT_EBS_URL: z.url({ protocol: /^https?$/ }).optional(),
  PAYMENT_CYBERPAY_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** HMAC-SHA256 key of the gateways' `x-livegate-signature`; required with a gateway URL. */
  PAYMENT_GATEWAY_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  PAYMENT_GATEWAY_TIMEOUT_MS: int(100, 120_000).default(10_000),
  // --- end payments ---

  // --- Chat (family F). ---
  /** Encryption at rest: "keyId:base64-of-32-bytes[,keyId:…]"; the first key encrypts, every key decrypts (rotation). Unset = plaintext. */
  CHAT_ENCRYPTION_KEY: chatKeys.optional(),
  /** Typing events per user ("points/seconds", "0" = off), on top of the default class. */
  CHAT_TYPING_RATE: rateSpec.prefault('20/10'),
  /** A trip's chat room takes no new messages this long after the trip is completed or cancelled. */
  CHAT_TRIP_CLOSE_AFTER_S: int(0, 30 * 86_400).default(86_400),
  // --- end chat ---

  // --- Operator dashboard (GET /dashboard). ---
  /** Map tiles, Leaflet's {z}/{x}/{y} template (http(s) or a path on the gateway); `none` = no tiles. Markers draw without tiles. */
  DASHBOARD_TILE_URL: z.string().trim().regex(/^none$|^https?:\/\/|^\//, 'must be an http(s) URL, a path starting with /, or none').default('https://tile.openstreetmap.org/{z}/{x}/{y}.png'),
  DASHBOARD_TILE_ATTRIBUTION: z.string().trim().max(500).default('&copy; OpenStreetMap contributors'),
  /** At most one `dashboard:positions` batch per this many ms, whatever the number of fixes. */
  DASHBOARD_BATCH_MS: int(50, 10_000).default(500),
  // --- end dashboard ---

  // --- Durable streams (PROTOCOL.md §6). ---
  /** Hours a user's stored events stay resumable; 0 = no durable streams (every emit transient, no `_seq`). */
  STREAM_RETENTION_H: int(0, 24 * 365).default(24),
  // --- end streams ---
});

export type Env = z.output<typeof envSchema>;

/**
 * WEBHOOK_SECRET_<SOURCE>: the HMAC key of `POST /webhooks/<source>`, one per
 * sender. The names are not fixed, so the schema above cannot list them;
 * `loadConfig` gathers every variable matching this, and they are known
 * variables (never reported as misspellings).
 */
export const WEBHOOK_SECRET_ENV = /^WEBHOOK_SECRET_([A-Z0-9_]+)$/;
export const webhookSecret = z.string().min(16, 'must be at least 16 characters');
