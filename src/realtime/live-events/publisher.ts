import type { MessageSender, ResolvedMessage } from '../../modules/publish/index.ts';
import type { Metrics } from '../../observability/metrics.ts';
import type { PublishTarget } from '../../protocol/index.ts';
import type { ConnectionRegistry } from '../../state/connection-registry.ts';
import type { Delivery } from '../delivery.ts';
import { rooms, type LivegateServer } from '../types.ts';

/** Emits of names the event map does not know (`x-` events; catalogue payloads were validated against their schema). */
type AnyEmit = { emit(event: string, payload: unknown): boolean };
type AnyDurable = { durable(userIds: readonly string[], event: string, payload: unknown): Promise<void> };

const roomsOf = (to: PublishTarget): string[] | 'all' => {
  if ('all' in to) return 'all';
  if ('userId' in to) return [rooms.user(to.userId)];
  if ('userIds' in to) return to.userIds.map(rooms.user);
  if ('eventId' in to) return [rooms.event(to.eventId)];
  return [to.room];
};

/**
 * Sends published messages through the Socket.IO adapter (every node gets
 * them with Redis) and counts recipients. Counting across nodes for rooms
 * would cost a round trip to every node per message (`fetchSockets`), so:
 * user targets are counted cluster-wide from the connection registry, rooms
 * and `all` on this node only, and `scope` says which the sum is.
 *
 * Messages to users are durable: stored in each user's stream before the
 * answer (`_seq`, resumable). Rooms, events and `all` stay transient.
 */
export function createSocketSender(deps: { io: LivegateServer; delivery: Delivery; registry: ConnectionRegistry; metrics: Metrics; crossNode: boolean }): MessageSender {
  const { io, registry, metrics } = deps;
  const durable = deps.delivery as unknown as AnyDurable;
  const localRooms = io.of('/').adapter.rooms;

  const count = async (to: PublishTarget, targets: string[] | 'all'): Promise<{ n: number; cluster: boolean }> => {
    if ('userId' in to || 'userIds' in to) {
      const users = 'userId' in to ? [to.userId] : to.userIds;
      const lists = await Promise.all(users.map((u) => registry.listForUser(u)));
      return { n: lists.reduce((sum, l) => sum + l.length, 0), cluster: true };
    }
    if (targets === 'all') return { n: io.of('/').sockets.size, cluster: false };
    let n = 0;
    for (const room of targets) n += localRooms.get(room)?.size ?? 0;
    return { n, cluster: false };
  };

  return {
    async send(messages: readonly ResolvedMessage[]) {
      let recipients = 0;
      let cluster = true;
      // Appends are queued in message order at once (one statement for many of them), and awaited before the answer.
      const stored: Array<Promise<void>> = [];
      for (const m of messages) {
        const targets = roomsOf(m.to);
        if ('userId' in m.to || 'userIds' in m.to) {
          stored.push(durable.durable('userId' in m.to ? [m.to.userId] : m.to.userIds, m.event, m.data));
        } else {
          const op = (targets === 'all' ? io : io.to(targets)) as unknown as AnyEmit;
          op.emit(m.event, m.data);
          // Custom names would make a metric label per name (durable ones count in the delivery).
          metrics.eventSent(m.catalogue ? m.event : 'x-*');
        }
        const counted = await count(m.to, targets);
        recipients += counted.n;
        cluster &&= counted.cluster;
      }
      await Promise.all(stored);
      return { recipients, scope: cluster || !deps.crossNode ? 'cluster' : 'node', messages: messages.length };
    },
  };
}
