import type { Delivery } from '../delivery.ts';
import { rooms } from '../types.ts';

export const TYPING_AUTO_STOP_MS = 3000;

interface Typing { timer: NodeJS.Timeout; roomId: string; userId: string }

/**
 * Who is typing where, on this node: one timer per socket and room. A start
 * while already typing only re-arms the timer (no new emit), so a client
 * sending `typing:start` on every key press fans out once per 3 s. Never stored.
 */
export class TypingTracker {
  private readonly active = new Map<string, Typing>();
  private readonly bySocket = new Map<string, Set<string>>();

  constructor(private readonly deps: { delivery: Delivery; autoStopMs?: number }) {}

  /** `otherParty`: the other member of a direct room, who also gets seed 002's `message.typing`. */
  start(socketId: string, user: { id: string; name: string }, roomId: string, otherParty?: string): void {
    const key = `${socketId}\u0000${roomId}`;
    const current = this.active.get(key);
    if (current) clearTimeout(current.timer);
    const timer = setTimeout(() => this.stop(socketId, roomId), this.deps.autoStopMs ?? TYPING_AUTO_STOP_MS);
    timer.unref();
    this.active.set(key, { timer, roomId, userId: user.id });
    let keys = this.bySocket.get(socketId);
    if (!keys) this.bySocket.set(socketId, (keys = new Set()));
    keys.add(key);
    if (current) return;
    this.deps.delivery.toOthers(rooms.chat(roomId), user.id, 'user:typing', { roomId, userId: user.id, userName: user.name });
    if (otherParty) this.deps.delivery.to(rooms.user(otherParty), 'message.typing', { userId: user.id, conversationId: roomId });
  }

  /** Stops and tells the others; false when the socket was not typing there. */
  stop(socketId: string, roomId: string): boolean {
    const key = `${socketId}\u0000${roomId}`;
    const current = this.active.get(key);
    if (!current) return false;
    clearTimeout(current.timer);
    this.active.delete(key);
    this.bySocket.get(socketId)?.delete(key);
    if (this.bySocket.get(socketId)?.size === 0) this.bySocket.delete(socketId);
    this.deps.delivery.toOthers(rooms.chat(roomId), current.userId, 'user:stopped-typing', { roomId, userId: current.userId });
    return true;
  }

  /** A socket went away: whatever it was typing stops. */
  drop(socketId: string): void {
    for (const key of [...(this.bySocket.get(socketId) ?? [])]) this.stop(socketId, this.active.get(key)!.roomId);
  }

  /** Timers of this node (shutdown). */
  clear(): void {
    for (const t of this.active.values()) clearTimeout(t.timer);
    this.active.clear();
    this.bySocket.clear();
  }
}
