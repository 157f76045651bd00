import type { Metrics } from '../../observability/metrics.ts';
import { rooms, type LivegateServer, type OutArgs, type OutEvent } from '../types.ts';

/**
 * Emits to a room leaving out every socket of one user ("to the others"),
 * on every node. Delivery.to has no `except`; this is its one-line sibling
 * for the chat events addressed to the others in a room.
 */
export function emitToOthers<E extends OutEvent>(io: LivegateServer, metrics: Metrics, room: string, userId: string, event: E, ...args: OutArgs<E>): void {
  io.to(room).except(rooms.user(userId)).emit(event, ...args);
  metrics.eventSent(event);
}
