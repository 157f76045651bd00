import type { RawData, WebSocket } from 'ws';
import type { LivegateServer, LivegateSocket } from '../types.ts';
import { deliverInbound, VirtualConnection, type VirtualHandlers } from './virtual-connection.ts';
import { wsEventFrame } from './frames.ts';
import { ackFrame, CLOSE, closeCodeOf, errorFrame, failedAckFrame, parseFrame, type InboundFrame } from './ws-frames.ts';

export interface WsSessionOptions {
  io: LivegateServer;
  /** The client's address (request-guard.ts `clientIp`). */
  address: string;
  /** From `Authorization: Bearer` or `?token=`; otherwise the first frame must be `authenticate`. */
  token: string | undefined;
  authTimeoutMs: number;
  now: () => number;
  onEnd: (session: WsSession) => void;
}

/** Frames sent before the handshake finished are handled after it, up to this many. */
const MAX_EARLY_FRAMES = 32;

/** Unsent bytes beyond which the peer counts as behind (volatile emits skip it until they are written). */
const BACKLOG_BYTES = 64 * 1024;

/** The inbound event a `resume` frame stands for (the durable streams' recovery, PROTOCOL.md section 6). */
export const RESUME_EVENT = 'stream:resume';

/**
 * One `GET /ws` connection: authentication (from the request or a first
 * `authenticate` frame), then frames in and out through its virtual
 * Socket.IO connection. Events reach the one router, so validation,
 * authorisation, rate limits and answers are Socket.IO's.
 */
export class WsSession implements VirtualHandlers {
  /** Set by the endpoint's heartbeat: a ping is waiting for its pong. */
  awaitingPong = false;
  private readonly conn: VirtualConnection;
  private socket: LivegateSocket | undefined;
  private early: InboundFrame[] | undefined = [];
  private authTimer: NodeJS.Timeout | undefined;
  /** The last event sent: an `auth_error` or `user_status_changed` before a disconnect names its close code. */
  private lastEvent = '';

  constructor(readonly ws: WebSocket, private readonly opts: WsSessionOptions) {
    this.conn = new VirtualConnection(opts.io, { name: 'ws', writable: true, socket: ws }, opts.address, this);
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('pong', () => void (this.awaitingPong = false));
    ws.on('close', () => this.end());
    // Errors (a frame over maxPayload, a protocol violation) are followed by 'close'.
    ws.on('error', () => undefined);
    if (opts.token) this.authenticate(opts.token, undefined);
    else this.authTimer = setTimeout(() => this.close(CLOSE.authFailed, 'No authenticate frame in time'), opts.authTimeoutMs);
  }

  /** Closes with `code`; the peer's answer (or the endpoint's terminate) ends the session. */
  close(code: number, reason: string): void {
    clearTimeout(this.authTimer);
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(code, reason);
  }

  // --- Socket.IO → client ---

  open(socket: LivegateSocket): void {
    this.socket = socket;
    const early = this.early ?? [];
    this.early = undefined;
    // After the 'connection' listeners (the router among them), which run right after this packet is written.
    if (early.length) process.nextTick(() => { for (const frame of early) this.handle(frame); });
  }

  refused(code: string, message: string): void {
    this.close(closeCodeOf(code), message.slice(0, 120));
  }

  event(name: string, payload: string, seq: number | string | undefined): void {
    this.lastEvent = name;
    this.send(wsEventFrame(name, payload, seq));
  }

  closed(reason: string): void {
    if (reason === 'server shutting down') return this.close(CLOSE.goingAway, 'Server shutting down');
    if (this.lastEvent === 'auth_error') return this.close(CLOSE.authFailed, 'Token expired');
    if (this.lastEvent === 'user_status_changed') return this.close(CLOSE.forbidden, 'Account not active');
    this.close(CLOSE.normal, 'Disconnected by the server');
  }

  // --- client → Socket.IO ---

  private onMessage(data: RawData, isBinary: boolean): void {
    this.awaitingPong = false;
    if (isBinary) return this.send(errorFrame('Binary frames are not accepted; send JSON text', undefined, this.opts.now()));
    const parsed = parseFrame(data.toString());
    if (!parsed.ok) return this.send(parsed.id === undefined ? errorFrame(parsed.message, undefined, this.opts.now()) : failedAckFrame(parsed.id, parsed.message));
    const frame = parsed.frame;
    // A bare ping is the transport's keep-alive; with an id it is the catalogue's `ping` (ack with the server time).
    if (frame.type === 'ping' && frame.id === undefined) return this.send(JSON.stringify({ type: 'pong', data: { timestamp: this.opts.now() } }));
    if (!this.socket) return this.early ? this.before(frame) : undefined;
    this.handle(frame);
  }

  /** Before the handshake: the `authenticate` frame, or frames kept for after it. */
  private before(frame: InboundFrame): void {
    if (frame.type === 'authenticate' && this.authTimer) {
      const data = frame.data as { token?: unknown; lastSeq?: unknown } | undefined;
      if (typeof data?.token !== 'string' || !data.token) return this.close(CLOSE.authFailed, 'authenticate needs data.token');
      clearTimeout(this.authTimer);
      this.authTimer = undefined;
      return this.authenticate(data.token, data.lastSeq);
    }
    if (this.early!.length >= MAX_EARLY_FRAMES) return this.send(errorFrame('Too many frames before authentication', frame.type, this.opts.now()));
    this.early!.push(frame);
  }

  private authenticate(token: string, lastSeq: unknown): void {
    this.conn.connect(lastSeq === undefined ? { token } : { token, lastSeq });
  }

  private handle(frame: InboundFrame): void {
    const socket = this.socket!;
    if (!socket.connected) return;
    const { id } = frame;
    const ack = id === undefined ? undefined : (answer: unknown) => this.send(ackFrame(id, answer));
    if (frame.type === 'resume') return deliverInbound(socket, RESUME_EVENT, { seq: frame.seq }, ack);
    deliverInbound(socket, frame.type, frame.data, ack);
  }

  private send(frame: string): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    const transport = this.conn.transport;
    if (!transport.writable || this.ws.bufferedAmount < BACKLOG_BYTES) return this.ws.send(frame);
    // Backed up: volatile emits skip this peer until what is queued now has been written.
    transport.writable = false;
    this.ws.send(frame, () => void (transport.writable = true));
  }

  private end(): void {
    clearTimeout(this.authTimer);
    this.conn.transportClosed();
    this.opts.onEnd(this);
  }
}
