import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { proxyTrust } from '../core/client-address.ts';
import type { HandshakeStash } from './handshake-auth.ts';
import { extractHandshake } from './handshake-auth.ts';
import type { createRequestGuard } from './request-guard.ts';
import type { LivegateServer } from './types.ts';

export interface IoOptions {
  corsOrigins: readonly string[];
  maxPayloadBytes: number;
  allowRequest: ReturnType<typeof createRequestGuard>;
  /** TRUST_PROXY: proxies whose X-Forwarded-For names the client (the handshake's address); none when omitted. */
  trustProxy?: readonly string[];
}

/**
 * Socket.IO on the HTTP API's server and port. Oversized messages close the
 * connection inside Engine.IO (`maxHttpBufferSize`), before any handler.
 */
export function createIoServer(httpServer: HttpServer, opts: IoOptions): { io: LivegateServer; stash: HandshakeStash } {
  const io: LivegateServer = new Server(httpServer, {
    path: '/socket.io',
    transports: ['polling', 'websocket'],
    serveClient: false,
    maxHttpBufferSize: opts.maxPayloadBytes,
    allowRequest: opts.allowRequest,
    cors: { origin: [...opts.corsOrigins], credentials: true },
    cleanupEmptyChildNamespaces: true,
  });
  const stash: HandshakeStash = new WeakMap();
  const trustProxy = proxyTrust(opts.trustProxy ?? []);
  // Keep only what the handshake needs and drop the HTTP request each engine
  // connection would otherwise retain (several KB per connection).
  io.engine.on('connection', (raw: { request: Parameters<typeof extractHandshake>[0] | null }) => {
    if (raw.request) stash.set(raw, extractHandshake(raw.request, trustProxy));
    raw.request = null;
  });
  return { io, stash };
}
