import { isoNow } from '../core/clock.ts';
import { DomainEvents } from '../core/domain-events.ts';
import { registerChatRoutes } from '../http/routes/chat.routes.ts';
import { createChatModule, notifyOfflineMembers, openTripChats, type ChatEvents, type ChatModule } from '../modules/chat/index.ts';
import type { NotificationsModule } from '../modules/notifications/index.ts';
import { chatHandlers } from '../realtime/chat/handlers.ts';
import { deliverChatEvents } from '../realtime/chat/delivery.ts';
import { TypingTracker } from '../realtime/chat/typing.ts';
import type { LivegateSocket } from '../realtime/types.ts';
import { unlimited } from '../state/rate-limiter.ts';
import type { FamilyContext } from './context.ts';
import type { TripsFamily } from './trips.ts';

/**
 * Family F, chat: rooms, messages, direct messages and conversations, read
 * receipts, typing; a room per accepted trip; offline members notified
 * through the notifications module (inbox, and push when configured).
 */
export function attachChat(ctx: FamilyContext, deps: { trips: TripsFamily; notifications: NotificationsModule }): ChatModule {
  const { config, clock, log } = ctx;
  const events = new DomainEvents<ChatEvents>(log);
  const chat = createChatModule({ db: ctx.db, events, clock, settings: config.chat });
  openTripChats(deps.trips.events, chat.rooms, () => isoNow(clock), log);
  notifyOfflineMembers(events, { onlineAmong: (userIds) => ctx.registry.onlineAmong(userIds), notifier: deps.notifications.service }, log);

  const typing = new TypingTracker({ delivery: ctx.delivery });
  const typingLimiter = config.chat.typingRate ? ctx.shared.rateLimiters.create('rate:chat-typing', config.chat.typingRate) : unlimited;
  ctx.handle(chatHandlers({ ...chat, typing, typingLimiter, delivery: ctx.delivery }));
  // One listener shared by every socket (`this` is the socket): no closure per connection.
  const dropTyping = function (this: LivegateSocket) {
    typing.drop(this.id);
  };
  ctx.onAuthenticated((socket) => void socket.on('disconnect', dropTyping));
  deliverChatEvents(events, ctx.delivery, ctx.io);
  registerChatRoutes(ctx.http, { ...chat, guard: ctx.guards.staff });
  ctx.lifecycle.add({ name: 'chat-typing', stop: () => typing.clear() });
  return chat;
}
