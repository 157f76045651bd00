import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { proxyTrust } from '../../core/client-address.ts';
import type { Logger } from '../../core/logger.ts';
import { extractHandshake, tokenFrom } from '../handshake-auth.ts';
import { isOriginAllowed } from '../request-guard.ts';
import type { LivegateServer } from '../types.ts';
import { CLOSE } from './ws-frames.ts';
import { WsSession } from './ws-session.ts';

export interface WsEndpointOptions {
  io: LivegateServer;
  corsOrigins: readonly string[];
  trustProxy: readonly string[];
  isDraining: () => boolean;
  log: Logger;
  now: () => number;
  /** MAX_PAYLOAD_BYTES: a longer frame closes the connection with 4009. */
  maxPayloadBytes: number;
  pingIntervalMs: number;
  pingTimeoutMs: number;
  authTimeoutMs: number;
}

export interface WsEndpoint {
  readonly count: number;
  /** Closes every connection with `code` (1001 at shutdown); those that do not answer are cut off after a second. */
  closeAll(code: number, reason: string): Promise<void>;
}

/** ws answers a frame over `maxPayload` with 1009; ours is 4009, like the other 4xxx codes. */
class GatewayWebSocket extends WebSocket {
  override close(code?: number, data?: string | Buffer): void {
    super.close(code === 1009 ? CLOSE.tooLarge : code, data);
  }
}

const isWsPath = (url: string | undefined) => url === '/ws' || url?.startsWith('/ws?') === true;

/**
 * `GET /ws`: the plain WebSocket transport (PROTOCOL.md section 6), on the
 * HTTP server's upgrade event for this path only (Socket.IO keeps
 * `/socket.io/`). The request passes the same checks as a Socket.IO
 * handshake — draining, Origin, then the namespace middleware through the
 * connection's virtual Socket.IO socket — but refusals are close codes:
 * the upgrade completes first, so a client sees why.
 */
export function attachWsEndpoint(server: HttpServer, opts: WsEndpointOptions): WsEndpoint {
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxPayloadBytes, perMessageDeflate: false, clientTracking: false, WebSocket: GatewayWebSocket });
  const allowed = new Set(opts.corsOrigins);
  const trusted = proxyTrust(opts.trustProxy);
  const sessions = new Set<WsSession>();

  const accept = (ws: WebSocket, req: IncomingMessage) => {
    if (opts.isDraining()) return ws.close(CLOSE.goingAway, 'Server is shutting down');
    const extract = extractHandshake(req, trusted);
    if (!isOriginAllowed(req.headers.origin, allowed, req.headers.host)) {
      opts.log.warn({ origin: req.headers.origin, address: extract.address }, 'plain WebSocket refused: origin not in CORS_ORIGINS');
      return ws.close(CLOSE.forbidden, 'Origin not allowed (CORS_ORIGINS)');
    }
    const session = new WsSession(ws, {
      io: opts.io, address: extract.address, token: tokenFrom(undefined, extract), authTimeoutMs: opts.authTimeoutMs, now: opts.now,
      onEnd: (s) => sessions.delete(s),
    });
    sessions.add(session);
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!isWsPath(req.url)) return;
    socket.on('error', () => socket.destroy());
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, req));
  });

  // One timer for every connection: ping, then cut off whoever has not answered (any frame counts) within the timeout.
  let timeout: NodeJS.Timeout | undefined;
  const heartbeat = setInterval(() => {
    for (const s of sessions) {
      if (s.awaitingPong) continue;
      s.awaitingPong = true;
      s.ws.ping();
    }
    timeout ??= setTimeout(() => {
      timeout = undefined;
      for (const s of sessions) if (s.awaitingPong) s.ws.terminate();
    }, opts.pingTimeoutMs).unref();
  }, opts.pingIntervalMs).unref();

  return {
    get count() {
      return sessions.size;
    },
    async closeAll(code, reason) {
      clearInterval(heartbeat);
      clearTimeout(timeout);
      for (const s of sessions) s.close(code, reason);
      const deadline = Date.now() + 1000;
      while (sessions.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      for (const s of sessions) s.ws.terminate();
      wss.close();
    },
  };
}
