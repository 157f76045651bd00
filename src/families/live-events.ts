import { liveEventsHandlers } from '../realtime/live-events/handlers.ts';
import type { FamilyContext } from './context.ts';

/**
 * Family H, live events: sockets watch `event:{id}`; what goes into the room
 * comes from backends (src/families/publish.ts). Heartbeats are the
 * connection family's.
 */
export function attachLiveEvents(ctx: FamilyContext): void {
  ctx.handle(liveEventsHandlers());
}
