import type { IncomingMessage } from 'node:http';
import { clientAddress, proxyTrust, type ProxyTrust } from '../core/client-address.ts';
import type { Logger } from '../core/logger.ts';
import type { RateDecision, RateLimiter } from '../state/rate-limiter.ts';

export interface RequestGuardOptions {
  corsOrigins: readonly string[];
  /** TRUST_PROXY entries (addresses, CIDRs): only for the address in the log line. */
  trustProxy: readonly string[];
  isDraining: () => boolean;
  log: Logger;
}

/** Client address of an HTTP request: the socket's peer, or what trusted proxies forwarded for. */
export function clientIp(req: IncomingMessage, trustProxy: ProxyTrust): string {
  return clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], trustProxy);
}

/**
 * True when `origin` may open a session. No Origin header = not a browser =
 * allowed. With the request's `host`, a page the gateway served itself (the
 * dashboard) is allowed too without being listed in CORS_ORIGINS.
 */
export function isOriginAllowed(origin: string | undefined, allowed: ReadonlySet<string>, host?: string): boolean {
  return origin === undefined || allowed.has('*') || allowed.has(origin) || isSameOrigin(origin, host);
}

/**
 * The Origin names the host the request was sent to. A browser sets both
 * headers and a page cannot forge either, so a foreign page never passes;
 * anything that is not a browser could send any Origin anyway. Behind a
 * proxy that rewrites Host, list the public origin in CORS_ORIGINS instead.
 */
export function isSameOrigin(origin: string, host: string | undefined): boolean {
  if (!host) return false;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === host.toLowerCase();
  } catch {
    return false;
  }
}

/**
 * Engine.IO `allowRequest`: runs for every new session on both transports
 * (polling handshakes and direct WebSocket upgrades), before a session exists.
 * Socket.IO's `cors` option only sets headers; this refuses foreign origins.
 * The message reaches polling clients as a 403 `{ code: 4, message }`; a
 * WebSocket upgrade is answered 400 with the message as its body, which
 * browsers and socket.io-client report only as "websocket error".
 * Per-address limits are not here: they answer in the namespace handshake,
 * where `connect_error` carries a code on both transports (handshake limits below).
 */
export function createRequestGuard(opts: RequestGuardOptions) {
  const allowed = new Set(opts.corsOrigins);
  const trusted = proxyTrust(opts.trustProxy);
  return (req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void): void => {
    if (opts.isDraining()) return callback('Server is shutting down', false);
    const origin = req.headers.origin;
    if (!isOriginAllowed(origin, allowed, req.headers.host)) {
      opts.log.warn({ origin, address: clientIp(req, trusted) }, 'handshake refused: origin not in CORS_ORIGINS');
      // Not echoed back: the WebSocket refusal body is text/html.
      return callback('Origin not allowed (CORS_ORIGINS)', false);
    }
    callback(null, true);
  };
}

/** Per-address handshake limits, checked by the namespace handshake (handshake-auth.ts). */
export interface HandshakeLimits {
  /** Before the token is looked at: refused while the address is over either limit. */
  admit(address: string): Promise<RateDecision>;
  /** A handshake with a bad or expired token; refused when it is one too many. */
  failed(address: string): Promise<RateDecision>;
}

export interface HandshakeLimitsOptions {
  /** Every handshake (CONNECT_ATTEMPTS_PER_IP_PER_MIN). */
  connectAttempts: RateLimiter;
  /** Failed handshakes only (AUTH_FAILURES_PER_IP_PER_MIN). */
  authFailures: RateLimiter;
  now: () => number;
  log: Logger;
}

/** Addresses refused for too many failures, kept on this node; the oldest go first beyond this. */
const MAX_BLOCKED = 100_000;

/**
 * Failed handshakes are counted in the shared limiter (cluster-wide with
 * Redis). An address that goes over is refused every handshake, good token or
 * bad, until the window passes, so a lucky guess is not told apart. The
 * limiter port only consumes, so the refusal itself is remembered per node: a
 * node learns of it from the first failure it sees over the limit.
 * A limiter store that is down fails open rather than refuse every client.
 */
export function createHandshakeLimits(opts: HandshakeLimitsOptions): HandshakeLimits {
  const blockedUntil = new Map<string, number>();
  const consume = (limiter: RateLimiter, address: string, what: string) =>
    limiter.consume(address).catch((err: unknown): RateDecision => {
      opts.log.warn({ err }, `${what} limiter unavailable`);
      return { allowed: true, retryAfterMs: 0 };
    });
  return {
    async admit(address) {
      const until = blockedUntil.get(address);
      if (until !== undefined) {
        const left = until - opts.now();
        if (left > 0) return { allowed: false, retryAfterMs: left };
        blockedUntil.delete(address);
      }
      return consume(opts.connectAttempts, address, 'connection-attempt');
    },
    async failed(address) {
      const decision = await consume(opts.authFailures, address, 'auth-failure');
      if (!decision.allowed) {
        blockedUntil.delete(address);
        blockedUntil.set(address, opts.now() + decision.retryAfterMs);
        if (blockedUntil.size > MAX_BLOCKED) blockedUntil.delete(blockedUntil.keys().next().value!);
        opts.log.warn({ address, retryAfterMs: decision.retryAfterMs }, 'handshakes refused: too many failed handshakes from this address');
      }
      return decision;
    },
  };
}

/** No per-address limits (tests, tools). */
export const noHandshakeLimits: HandshakeLimits = {
  admit: async () => ({ allowed: true, retryAfterMs: 0 }),
  failed: async () => ({ allowed: true, retryAfterMs: 0 }),
};
