import type { EventSource } from '../../core/domain-events.ts';
import type { PresenceEvents } from '../../modules/presence/index.ts';
import type { Delivery } from '../delivery.ts';
import { rooms } from '../types.ts';

/** Presence events go to the contacts' user rooms only: one emit for all of them, never a broadcast. */
export function deliverPresenceEvents(events: EventSource<PresenceEvents>, delivery: Delivery): void {
  events.on('presence.changed', ({ contactIds, ...change }) => delivery.to(contactIds.map(rooms.user), 'friend:presence:changed', change));
  events.on('user.online', ({ contactIds, userId, name }) => delivery.to(contactIds.map(rooms.user), 'user:online', { userId, name }));
  events.on('user.offline', ({ contactIds, userId, lastSeen }) => delivery.to(contactIds.map(rooms.user), 'user:offline', { userId, lastSeen }));
}
