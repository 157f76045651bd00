import { conversationPayload, messagePayload, type ChatEvents } from '../../modules/chat/index.ts';
import type { Delivery } from '../delivery.ts';
import { rooms, type LivegateServer } from '../types.ts';
import type { EventSource } from '../../core/domain-events.ts';

/**
 * Chat-module events → emits. A message goes to `chat:{roomId}` as
 * `message:new`; in a direct room it also goes to both parties' user rooms,
 * in both clients' styles (`dm:received`/`dm:sent`, seed 002 `message.new`),
 * so `dm:*`, `message.*` and room clients see the same messages. A read goes
 * to the message's sender in both styles. A removed member's sockets leave
 * the room on every node at once.
 */
export function deliverChatEvents(events: EventSource<ChatEvents>, delivery: Delivery, io: LivegateServer): void {
  events.on('chat.message_created', ({ message, room, memberIds }) => {
    const payload = messagePayload(message);
    delivery.to(rooms.chat(room.id), 'message:new', payload);
    if (room.type !== 'direct') return;
    const senderId = message.sender.id;
    const recipients = memberIds.filter((id) => id !== senderId).map(rooms.user);
    delivery.to(recipients, 'dm:received', payload);
    delivery.to(rooms.user(senderId), 'dm:sent', payload);
    delivery.to([...recipients, rooms.user(senderId)], 'message.new', conversationPayload(message));
  });
  events.on('chat.message_read', ({ messageId, senderId, readerId, readAt }) => {
    delivery.to(rooms.user(senderId), 'message:read', { messageId, userId: readerId, readAt });
    delivery.to(rooms.user(senderId), 'message.read', { messageId, readAt });
  });
  events.on('chat.member_removed', ({ roomId, userId }) => {
    io.in(rooms.user(userId)).socketsLeave(rooms.chat(roomId));
    delivery.to(rooms.chat(roomId), 'user:left:room', { roomId, userId });
  });
}
