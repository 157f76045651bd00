import { z } from 'zod';
import { proxyTrust } from '../../core/client-address.ts';
import { AppError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { HttpApp } from '../../http/server.ts';
import { extractHandshake, tokenFrom } from '../handshake-auth.ts';
import { isOriginAllowed } from '../request-guard.ts';
import type { LivegateServer } from '../types.ts';
import { droppedEvents, SseSession } from './sse-session.ts';

export interface SseEndpointOptions {
  io: LivegateServer;
  corsOrigins: readonly string[];
  trustProxy: readonly string[];
  isDraining: () => boolean;
  allowAnonymous: boolean;
  keepAliveMs: number;
  log: Logger;
}

export interface SseEndpoint {
  readonly count: number;
  /** Ends every stream (shutdown). */
  closeAll(): void;
}

const query = z.object({
  token: z.string().optional().describe('JWT, for clients that cannot set headers (EventSource)'),
  lastEventId: z.string().max(64).optional().describe('resume after this event id (as the `Last-Event-ID` header)'),
  include: z.string().max(200).optional().describe('`positions`: also the positions of the user\'s active trip'),
});

/** `Last-Event-ID` (or `?lastEventId=`) as the handshake's `lastSeq`: a number when it is one. */
function lastSeqOf(value: string | undefined): number | string | undefined {
  if (value === undefined || value === '') return undefined;
  return /^\d{1,15}$/.test(value) ? Number(value) : value;
}

/**
 * `GET /events`: Server-Sent Events (PROTOCOL.md section 6). Each stream is a
 * Socket.IO socket behind a virtual connection, so it receives what the
 * user's sockets receive — emits to its rooms from any node, `POST
 * /api/publish`, webhooks — less transient traffic it did not ask for.
 * Refusals before the stream starts are the HTTP API's JSON errors.
 */
export function registerSseEndpoint(http: HttpApp, opts: SseEndpointOptions): SseEndpoint {
  const allowed = new Set(opts.corsOrigins);
  const trusted = proxyTrust(opts.trustProxy);
  const sessions = new Set<SseSession>();
  const keepAlive = setInterval(() => {
    for (const s of sessions) s.keepAlive();
  }, opts.keepAliveMs).unref();

  http.get('/events', {
    schema: {
      tags: ['realtime'],
      summary: 'Server-Sent Events: what the user would receive on Socket.IO, less positions, typing and presence',
      description: '`text/event-stream` of `id: <seq>` (durable events), `event: <name>`, `data: <JSON>`; `retry: 3000` first, a `: keep-alive` comment every 15 s. Token in `Authorization: Bearer` or `?token=`; `Last-Event-ID` or `?lastEventId=` resumes. Errors before the stream starts are JSON.',
      querystring: query,
    },
  }, async (req, reply) => {
    if (opts.isDraining()) return reply.status(503).header('retry-after', '5').send({ error: { code: 'INTERNAL_ERROR', message: 'Server is shutting down' } });
    const origin = req.headers.origin;
    if (!isOriginAllowed(origin, allowed, req.headers.host)) {
      opts.log.warn({ origin, address: req.ip }, 'event stream refused: origin not in CORS_ORIGINS');
      throw new AppError('FORBIDDEN', 'Origin not allowed (CORS_ORIGINS)');
    }
    const extract = extractHandshake(req.raw, trusted);
    const token = tokenFrom(undefined, extract);
    if (!token && !opts.allowAnonymous) throw new AppError('AUTH_FAILED', 'Authentication token required');
    const lastSeq = lastSeqOf(typeof req.headers['last-event-id'] === 'string' ? req.headers['last-event-id'] : req.query.lastEventId);
    const session = new SseSession(reply.raw, {
      io: opts.io,
      address: extract.address,
      headers: origin ? { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', vary: 'Origin' } : {},
      dropped: droppedEvents(req.query.include?.split(',') ?? []),
      onEnd: (s) => sessions.delete(s),
    });
    sessions.add(session);
    // The handshake runs before anything is written: a refusal is thrown as the HTTP error.
    try {
      await session.start({ ...(token ? { token } : {}), ...(lastSeq === undefined ? {} : { lastSeq }) });
    } catch (err) {
      sessions.delete(session);
      const retryAfterMs = err instanceof AppError ? err.details?.retryAfterMs : undefined;
      if (typeof retryAfterMs === 'number') reply.header('retry-after', String(Math.ceil(retryAfterMs / 1000)));
      throw err;
    }
    reply.hijack();
    return reply;
  });

  return {
    get count() {
      return sessions.size;
    },
    closeAll() {
      clearInterval(keepAlive);
      for (const s of sessions) s.closed();
    },
  };
}
