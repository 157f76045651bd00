import type { PresenceService } from '../../modules/presence/index.ts';
import type { EventHandler } from '../event-router.ts';

/** Family F, presence (seed 003). The contacts hear about it through the delivery layer. */
export function presenceHandlers(deps: { presence: PresenceService }) {
  const update: EventHandler<'presence:update'> = ({ userId }, { status }) => deps.presence.updateStatus(userId, status);
  return { 'presence:update': update } as const;
}
