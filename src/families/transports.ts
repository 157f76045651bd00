import { registerSseEndpoint } from '../realtime/transports/sse-endpoint.ts';
import { attachWsEndpoint } from '../realtime/transports/ws-endpoint.ts';
import { CLOSE } from '../realtime/transports/ws-frames.ts';
import type { FamilyContext } from './context.ts';

/**
 * The other transports (PROTOCOL.md section 6): Server-Sent Events at
 * `GET /events` and a plain WebSocket at `GET /ws`. Each connection is a
 * Socket.IO socket behind a virtual Engine.IO connection, so handshake auth,
 * the router, sessions, rooms and deliveries (across nodes) are the ones
 * Socket.IO clients have.
 */
export function attachTransports(ctx: FamilyContext): void {
  const { config, io, log } = ctx;
  const shared = { io, corsOrigins: config.http.corsOrigins, trustProxy: config.http.trustProxy, isDraining: ctx.isDraining, log };
  const sse = registerSseEndpoint(ctx.http, { ...shared, allowAnonymous: config.auth.allowAnonymous, keepAliveMs: config.transports.sseKeepAliveMs });
  const ws = attachWsEndpoint(ctx.http.server, {
    ...shared,
    now: () => ctx.clock.now(),
    maxPayloadBytes: config.limits.maxPayloadBytes,
    pingIntervalMs: config.transports.wsPingIntervalMs,
    pingTimeoutMs: config.transports.wsPingTimeoutMs,
    authTimeoutMs: config.transports.wsAuthTimeoutMs,
  });
  ctx.metrics.connectionsByTransport(() => {
    const counts: Record<string, number> = { websocket: 0, polling: 0, sse: 0, ws: 0 };
    for (const socket of io.of('/').sockets.values()) counts[socket.conn.transport.name] = (counts[socket.conn.transport.name] ?? 0) + 1;
    return counts;
  });
  // Open streams and sockets were closed with their Socket.IO sockets; this ends those still authenticating.
  ctx.lifecycle.add({ name: 'transports:sse-ws', stop: async () => { sse.closeAll(); await ws.closeAll(CLOSE.goingAway, 'Server shutting down'); } });
}
