import type { ServerResponse } from 'node:http';
import { AppError } from '../../core/errors.ts';
import type { ErrorCode } from '../../protocol/index.ts';
import { ERROR_CODES } from '../../protocol/index.ts';
import type { LivegateServer, LivegateSocket, OutEvent } from '../types.ts';
import { sseEventFrame } from './frames.ts';
import { VirtualConnection, type VirtualHandlers } from './virtual-connection.ts';

/** Positions reaching a user's own room: those of their active trip (what `?include=positions` keeps). */
const TRIP_POSITIONS: readonly OutEvent[] = ['driver_location_update'];

/**
 * Transient traffic a stream leaves out unless asked for: positions, typing
 * and presence. Fleet positions need a room subscription, which a stream
 * cannot make, so only the trip's positions can be asked back.
 */
const TRANSIENT: readonly OutEvent[] = [
  ...TRIP_POSITIONS, 'vehicle:location', 'tracking:update',
  'user:typing', 'user:stopped-typing', 'message.typing',
  'friend:presence:changed', 'user:online', 'user:offline',
];

/** The events a stream drops: every transient one, less the positions when `include` names them. */
export function droppedEvents(include: readonly string[]): ReadonlySet<string> {
  const dropped = new Set<string>(TRANSIENT);
  if (include.includes('positions')) for (const e of TRIP_POSITIONS) dropped.delete(e);
  return dropped;
}

export interface SseSessionOptions {
  io: LivegateServer;
  address: string;
  /** Written with the status line (CORS for an allowed browser Origin). */
  headers: Record<string, string>;
  dropped: ReadonlySet<string>;
  onEnd: (session: SseSession) => void;
}

/**
 * One `GET /events` stream. The handshake runs before the response starts,
 * so a refusal is an HTTP error; then every event Socket.IO writes to the
 * connection becomes an SSE record.
 */
export class SseSession implements VirtualHandlers {
  private readonly conn: VirtualConnection;
  private opened = false;
  private settle: { resolve(): void; reject(err: AppError): void } | undefined;

  constructor(private readonly res: ServerResponse, private readonly opts: SseSessionOptions) {
    this.conn = new VirtualConnection(opts.io, { name: 'sse', writable: true, socket: { get bufferedAmount() { return res.writableLength; } } }, opts.address, this);
    res.on('close', () => {
      // A client gone before the handshake answered: nothing to send.
      this.settle?.resolve();
      this.conn.transportClosed();
      opts.onEnd(this);
    });
    res.on('drain', () => void (this.conn.transport.writable = true));
  }

  /** Runs the handshake; resolves once the stream is open, rejects with the refusal. */
  start(auth: Record<string, unknown>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
      this.conn.connect(auth);
    });
  }

  /** True once the stream's headers went out. */
  get started(): boolean {
    return this.opened;
  }

  /** A comment line: keeps proxies and the browser from timing the stream out. */
  keepAlive(): void {
    if (this.opened) this.write(': keep-alive\n\n');
  }

  open(_socket: LivegateSocket): void {
    this.opened = true;
    this.res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no', ...this.opts.headers });
    this.write('retry: 3000\n\n');
    this.settle?.resolve();
  }

  refused(code: string, message: string, retryAfterMs: number | undefined): void {
    const known = (ERROR_CODES as readonly string[]).includes(code) ? (code as ErrorCode) : 'INTERNAL_ERROR';
    this.settle?.reject(new AppError(known, message, retryAfterMs === undefined ? undefined : { retryAfterMs }));
    this.conn.close();
  }

  event(name: string, payload: string, seq: number | string | undefined): void {
    if (this.opened && !this.opts.dropped.has(name)) this.write(sseEventFrame(name, payload, seq));
  }

  closed(): void {
    if (this.opened) this.res.end();
  }

  private write(chunk: string): void {
    if (this.res.writableEnded) return;
    // Volatile emits (positions) skip this client until the backlog is written ('drain').
    if (!this.res.write(chunk)) this.conn.transport.writable = false;
  }
}
