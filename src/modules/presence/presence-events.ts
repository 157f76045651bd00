import type { PresenceStatus } from '../../protocol/families/presence.ts';

/** What the presence module reports; each names the contacts to tell (the delivery layer emits to their user rooms). */
export interface PresenceEvents {
  /** A user chose a new status (`presence:update`). `lastSeen` only with `offline`. */
  'presence.changed': { userId: string; presence: PresenceStatus; lastSeen?: string; contactIds: string[] };
  /** The user's first socket in the cluster. */
  'user.online': { userId: string; name: string; contactIds: string[] };
  /** The user's last socket in the cluster closed, or expired with its node. */
  'user.offline': { userId: string; lastSeen: string; contactIds: string[] };
}
