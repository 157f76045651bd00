import type { Clock } from '../../core/clock.ts';
import type { PresenceService } from '../../modules/presence/index.ts';
import type { ConnectionRegistry } from '../../state/connection-registry.ts';
import type { Sessions } from '../sessions.ts';

/**
 * Feeds the registry's online/offline decisions to the presence service:
 * those a socket of this node caused (connect, disconnect), and those the
 * registry's background work made on this node (a dead node's sockets swept,
 * a lost entry published again). The registry decides each one once in the
 * whole cluster, so each is reported once.
 */
export function reportPresenceTransitions(deps: { sessions: Sessions; registry: ConnectionRegistry; presence: PresenceService; clock: Clock }): void {
  const { presence, clock } = deps;
  deps.sessions.onPresenceChange(({ userId, online, socket }) => {
    void (online ? presence.wentOnline(userId, socket.data.name) : presence.wentOffline(userId, clock.now()));
  });
  deps.registry.onTransitions((changes) => {
    for (const { userId, online, lastSeen } of changes) void (online ? presence.wentOnline(userId) : presence.wentOffline(userId, lastSeen));
  });
}
