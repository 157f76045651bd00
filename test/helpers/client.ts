import { io, type Socket, type ManagerOptions, type SocketOptions } from 'socket.io-client';
import type { AckResponse, ClientToServerEvents, ServerToClientEvents } from '../../src/protocol/index.ts';

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface ConnectOptions extends Partial<ManagerOptions & SocketOptions> {
  token?: string;
  /** Called with the socket before any packet can arrive: listeners that must not miss what follows `authenticated` at once (a resume). */
  listen?: (socket: Client) => void;
}

/** A real socket.io-client; resolves once connected (and, with a token, authenticated). */
export function connect(url: string, opts: ConnectOptions = {}): Promise<Client> {
  const { token, listen, ...rest } = opts;
  const socket: Client = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: 5000, ...(token ? { auth: { token } } : {}), ...rest });
  listen?.(socket);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('connect timeout')), 5000);
    const done = () => {
      clearTimeout(timer);
      resolve(socket);
    };
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      socket.close();
      reject(err);
    });
    if (token || opts.extraHeaders || opts.query) socket.once('authenticated', done);
    else socket.once('connect', done);
  });
}

/** The `connect_error` a refused handshake produces. */
export function connectError(url: string, opts: ConnectOptions = {}): Promise<Error & { data?: { code: string; message: string } }> {
  const { token, ...rest } = opts;
  const socket: Client = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, ...(token ? { auth: { token } } : {}), ...rest });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.close();
      reject(new Error('connected but should have been refused'));
    });
    socket.once('connect_error', (err) => {
      socket.close();
      resolve(err as Error & { data?: { code: string; message: string } });
    });
  });
}

/**
 * The payload without `_seq`: durable events carry their stream position as an
 * added field (test/streams/ checks it); tests of a family compare payloads.
 */
function withoutSeq(payload: unknown): unknown {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload) || !('_seq' in payload)) return payload;
  const { _seq: _, ...rest } = payload as Record<string, unknown>;
  return rest;
}

/** Next payload of `event` on `socket` (without a durable event's `_seq`). */
export function next<E extends keyof ServerToClientEvents>(socket: Client, event: E, timeoutMs = 3000): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${String(event)} within ${timeoutMs} ms`)), timeoutMs);
    const handler = (payload: unknown) => {
      clearTimeout(timer);
      resolve(withoutSeq(payload) as Parameters<ServerToClientEvents[E]>[0]);
    };
    (socket.once as (ev: string, fn: (p: unknown) => void) => void)(event as string, handler);
  });
}

/** Emits with an acknowledgement and resolves with the answer. Untyped on purpose: tests send bad payloads too. */
export function request<T = unknown>(socket: Client, event: string, payload?: unknown, timeoutMs = 3000): Promise<AckResponse<T>> {
  return (socket.timeout(timeoutMs) as unknown as { emitWithAck(ev: string, ...args: unknown[]): Promise<AckResponse<T>> }).emitWithAck(
    event,
    ...(payload === undefined ? [] : [payload]),
  );
}

/** Collects every payload of `event` until read (without a durable event's `_seq`). */
export function collect<E extends keyof ServerToClientEvents>(socket: Client, event: E): unknown[] {
  const seen: unknown[] = [];
  (socket.on as (ev: string, fn: (p: unknown) => void) => void)(event as string, (p) => seen.push(withoutSeq(p)));
  return seen;
}
