import type { Logger } from '../../core/logger.ts';
import type { StreamEntry } from '../../modules/streams/index.ts';
import type { Metrics } from '../../observability/metrics.ts';
import type { DurableSink } from '../delivery.ts';
import type { OncePerSocket } from '../once-per-socket.ts';
import { replyGate } from '../reply-gate.ts';
import { rooms, type LivegateServer, type LivegateSocket } from '../types.ts';
import { SocketCursor, type ResumeResult, type StreamSource } from './socket-cursor.ts';

/** The streams module as this layer needs it. */
export interface StreamStore extends StreamSource {
  append(userIds: readonly string[], event: string, payload: unknown): Promise<Array<[string, number]>>;
}

interface StreamMessage {
  event: string;
  payload: unknown;
  seqs: Array<[string, number]>;
}

/** Untyped emits: a stored event's name and payload come from the database or from another node. */
type AnyEmit = { emit(event: string, ...args: unknown[]): boolean };

/**
 * Durable delivery (PROTOCOL.md §6): append to each recipient's stream, then
 * emit to every socket of each recipient on every node, each with its own
 * `_seq`. One adapter message per append carries `{ event, payload, seqs }`;
 * each node hands it to the cursors of its own sockets (socket-cursor.ts),
 * which drop duplicates and fill gaps from the database.
 */
export class DurableDelivery implements DurableSink {
  private readonly cursors = new WeakMap<LivegateSocket, SocketCursor>();
  private readonly failures;
  private readonly replayed;

  constructor(private readonly deps: { io: LivegateServer; store: StreamStore; crossNode: boolean; once: OncePerSocket; metrics: Metrics; log: Logger }) {
    this.failures = deps.metrics.counter('livegate_stream_append_failures_total', 'Durable events that could not be stored and went out transient (no _seq)');
    this.replayed = deps.metrics.counter('livegate_stream_replayed_total', 'Stored events sent again to resuming sockets or to fill gaps');
    deps.io.on('stream:deliver', (message) => this.deliverLocal(message));
  }

  async deliver(userIds: readonly string[], event: string, payload: unknown, watchers: readonly string[]): Promise<void> {
    const { io, store, crossNode, metrics, log } = this.deps;
    // This node's recipient sockets hold their other packets until this event is out: the order of
    // emits to a connection stays the order they were made in, and a sender's answer still drops
    // the broadcast its ack repeats (reply-gate.ts).
    const held = this.localSockets(userIds).map((socket) => replyGate(socket.conn));
    held.forEach((gate) => gate.enter());
    try {
      const seqs = await store.append(userIds, event, payload);
      const message: StreamMessage = { event, payload, seqs };
      this.deliverLocal(message);
      if (crossNode) io.serverSideEmit('stream:deliver', message);
    } catch (err) {
      // Not stored: the user gets it live at least (no `_seq`; a resume cannot bring it back).
      log.error({ err, event }, 'stream append failed; sent transient');
      this.failures.inc();
      (io.to(userIds.map(rooms.user)) as unknown as AnyEmit).emit(event, payload);
    } finally {
      held.forEach((gate) => gate.leave(undefined, []));
    }
    // Custom `x-` names would make a metric label per name.
    metrics.eventSent(event.startsWith('x-') ? 'x-*' : event);
    if (watchers.length) (io.to([...watchers]).except(userIds.map(rooms.user)) as unknown as AnyEmit).emit(event, payload);
  }

  /** Sends `socket` every stored event after `afterSeq`, then live ones (the `stream:resume` event). */
  async resume(socket: LivegateSocket, afterSeq: number): Promise<ResumeResult> {
    const result = await this.cursorOf(socket).resume(afterSeq);
    this.replayed.inc(result.replayed);
    return result;
  }

  /**
   * Session hook: a socket that connected with `auth.lastSeq` gets what it missed. Any other socket
   * gets its cursor with its first durable event (an idle connection carries none).
   */
  readonly onAuthenticated = (socket: LivegateSocket): void => {
    if (handshakeLastSeq(socket.handshake.auth) !== undefined) this.cursorOf(socket);
  };

  private deliverLocal({ event, payload, seqs }: StreamMessage): void {
    for (const [userId, seq] of seqs) {
      for (const socket of this.socketsOf(userId)) this.cursorOf(socket).live({ seq, event, payload });
    }
  }

  private localSockets(userIds: readonly string[]): LivegateSocket[] {
    return userIds.flatMap((userId) => this.socketsOf(userId));
  }

  /** This node's sockets of `userId` on `/` (every transport: SSE and `/ws` connections are sockets too). */
  private socketsOf(userId: string): LivegateSocket[] {
    const ns = this.deps.io.of('/');
    const out: LivegateSocket[] = [];
    for (const id of ns.adapter.rooms.get(rooms.user(userId)) ?? []) {
      const socket = ns.sockets.get(id);
      if (socket) out.push(socket);
    }
    return out;
  }

  /** Made on first use (a live event or the session hook); one given at the handshake starts with a resume. */
  private cursorOf(socket: LivegateSocket): SocketCursor {
    let cursor = this.cursors.get(socket);
    if (cursor) return cursor;
    const { store, log } = this.deps;
    cursor = new SocketCursor(socket.data.userId, store, {
      emit: (entry) => this.emitEntry(socket, entry),
      incomplete: (oldestSeq) => socket.emit('recovery:incomplete', { oldestSeq }),
      isOpen: () => socket.connected,
    }, log);
    this.cursors.set(socket, cursor);
    const lastSeq = handshakeLastSeq(socket.handshake.auth);
    if (lastSeq !== undefined) {
      cursor.resume(lastSeq).then((r) => this.replayed.inc(r.replayed)).catch((err: unknown) => log.warn({ err, userId: socket.data.userId }, 'stream resume at connect failed'));
    }
    return cursor;
  }

  private emitEntry(socket: LivegateSocket, entry: StreamEntry): void {
    const { payload, seq } = entry;
    if (!this.deps.once.admit(socket, entry.event, payload)) return;
    const target = socket as unknown as AnyEmit;
    // An object payload carries its position; the one array payload (`notifications:batch`) carries it as a second argument.
    if (payload !== null && typeof payload === 'object' && !Array.isArray(payload)) target.emit(entry.event, { ...payload, _seq: seq });
    else target.emit(entry.event, payload, { _seq: seq });
  }
}

/** `auth.lastSeq` as a number or a numeric string (SSE passes `Last-Event-ID` through); anything else is no position. */
export function handshakeLastSeq(auth: unknown): number | undefined {
  const raw = (auth as { lastSeq?: unknown } | undefined)?.lastSeq;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}
