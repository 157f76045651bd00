import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { LivegateServer, LivegateSocket } from '../types.ts';
import { readPacket } from './frames.ts';

/** Names of the connection's transport, as `GET /api/connections` and the metrics show them. */
export type VirtualTransportName = 'sse' | 'ws';

/** What the endpoint of a plain WebSocket or SSE connection does with what Socket.IO says. */
export interface VirtualHandlers {
  /** The handshake passed: the socket is in its rooms and `authenticated` follows. */
  open(socket: LivegateSocket): void;
  /** The handshake was refused (handshake-auth.ts codes: AUTH_FAILED, FORBIDDEN, RATE_LIMIT_EXCEEDED, INTERNAL_ERROR). */
  refused(code: string, message: string, retryAfterMs: number | undefined): void;
  /** An event for the client; `payload` is its JSON text, `seq` its durable-stream position (`_seq`) if it has one. */
  event(name: string, payload: string, seq: number | string | undefined): void;
  /** Socket.IO is done with the connection (`reason`: its disconnect reason); close the transport. */
  closed(reason: string): void;
}

/** Engine.IO's `transport` as Socket.IO and slow-clients.ts read it. */
export interface VirtualTransport {
  readonly name: VirtualTransportName;
  /** False while the peer is behind: Socket.IO drops volatile packets for it. */
  writable: boolean;
  /** slow-clients.ts reads `socket.bufferedAmount`. */
  readonly socket: { readonly bufferedAmount: number };
}

/**
 * A plain WebSocket or SSE connection dressed as an Engine.IO socket, so
 * Socket.IO (its `Client`, namespace, rooms, adapter) and everything built on
 * it — handshake auth, the router, sessions, the reply gate, slow clients,
 * every delivery, across nodes — treat it as one more connection. It carries
 * what Socket.IO's `Client` uses: `id`, `protocol` 4, `request` (null, as
 * io-server.ts leaves real ones), `remoteAddress` (the handshake's limit key),
 * `readyState`, `transport`, `write`, `close` and the `data`/`close` events.
 */
export class VirtualConnection extends EventEmitter {
  readonly id = randomBytes(15).toString('base64url');
  readonly protocol = 4;
  request = null;
  readyState: 'open' | 'closed' = 'open';
  private socket: LivegateSocket | undefined;

  constructor(
    private readonly io: LivegateServer,
    readonly transport: VirtualTransport,
    /** The client's address (request-guard.ts `clientIp`). */
    readonly remoteAddress: string,
    private readonly handlers: VirtualHandlers,
  ) {
    super();
  }

  /** Hands the connection to Socket.IO and sends its CONNECT; the namespace middleware reads the token from `auth`. */
  connect(auth: Record<string, unknown>): void {
    (this.io as unknown as { onconnection(conn: unknown): void }).onconnection(this);
    this.emit('data', `0${JSON.stringify(auth)}`);
  }

  /** Every packet Socket.IO sends this client (reply-gate.ts wraps this method). */
  write(data: unknown, _options?: unknown, callback?: unknown): this {
    if (this.readyState !== 'open' || typeof data !== 'string') return this;
    const packet = readPacket(data);
    if (packet.kind === 'event') this.handlers.event(packet.name, packet.payload, packet.seq);
    else if (packet.kind === 'connected') this.opened(packet.sid);
    else if (packet.kind === 'refused') this.handlers.refused(packet.code, packet.message, packet.retryAfterMs);
    if (typeof callback === 'function') (callback as (t: unknown) => void)(this.transport);
    return this;
  }

  /** Socket.IO closes the connection (disconnect(true), a connect timeout, an error). */
  close(): void {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    this.handlers.closed('forced server close');
  }

  /** The transport went away (peer closed, dead peer, error): Socket.IO sees a transport close. */
  transportClosed(reason = 'transport close'): void {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    this.emit('close', reason);
  }

  private opened(sid: string): void {
    const socket = this.io.of('/').sockets.get(sid);
    if (!socket) return;
    this.socket = socket;
    // Namespace disconnects (suspension, expiry, the per-user cap) and shutdown leave the engine connection to us.
    socket.once('disconnect', (reason) => {
      if (this.readyState === 'closed') return;
      this.readyState = 'closed';
      this.handlers.closed(reason);
    });
    this.handlers.open(socket);
  }

  /** The Socket.IO socket once the handshake passed. */
  get session(): LivegateSocket | undefined {
    return this.socket;
  }
}

/**
 * An inbound event, handed to Socket.IO as the decoded packet its parser
 * would have produced (`Socket._onpacket`, public in its types and what its
 * `Client` calls): the frame was parsed once, so the payload is not encoded
 * and parsed again. `ack` receives the router's answer object itself.
 */
export function deliverInbound(socket: LivegateSocket, event: string, data: unknown, ack?: (answer: unknown) => void): void {
  const args: unknown[] = data === undefined ? [event] : [event, data];
  if (ack) args.push(ack);
  // 2 = PacketType.EVENT; no packet id: the ack is the function itself.
  socket._onpacket({ type: 2, nsp: '/', data: args } as Parameters<LivegateSocket['_onpacket']>[0]);
}
