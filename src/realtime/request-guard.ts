import type { IncomingMessage } from 'node:http';
import type { Logger } from '../core/logger.ts';
import type { RateLimiter } from '../state/rate-limiter.ts';

export interface RequestGuardOptions {
  corsOrigins: readonly string[];
  trustProxy: boolean;
  connectLimiter: RateLimiter;
  isDraining: () => boolean;
  log: Logger;
}

/** Client address: the socket's, or the first X-Forwarded-For hop behind a trusted proxy. */
export function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const fwd = req.headers['x-forwarded-for'];
    const first = (Array.isArray(fwd) ? fwd[0] : fwd)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? 'unknown';
}

/** True when `origin` may open a session. No Origin header = not a browser = allowed. */
export function isOriginAllowed(origin: string | undefined, allowed: ReadonlySet<string>): boolean {
  return origin === undefined || allowed.has('*') || allowed.has(origin);
}

/**
 * Engine.IO `allowRequest`: runs for every new session on both transports
 * (polling handshakes and direct WebSocket upgrades), before a session exists.
 * Socket.IO's `cors` option only sets headers; this refuses foreign origins.
 */
export function createRequestGuard(opts: RequestGuardOptions) {
  const allowed = new Set(opts.corsOrigins);
  return (req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void): void => {
    if (opts.isDraining()) return callback('Server is shutting down', false);
    if (!isOriginAllowed(req.headers.origin, allowed)) return callback('Origin not allowed', false);
    opts.connectLimiter.consume(clientIp(req, opts.trustProxy)).then(
      (decision) => callback(decision.allowed ? null : 'Too many connection attempts', decision.allowed),
      (err: unknown) => {
        // The limiter's store is down: fail open rather than refuse every client.
        opts.log.warn({ err }, 'connection-attempt limiter unavailable');
        callback(null, true);
      },
    );
  };
}
