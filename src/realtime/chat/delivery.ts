import { conversationPayload, messagePayload, type ChatEvents } from '../../modules/chat/index.ts';
import type { Delivery } from '../delivery.ts';
import { rooms, type LivegateServer } from '../types.ts';
import type { EventSource } from '../../core/domain-events.ts';

/**
 * Chat-module events → emits. A message goes to every member's stream as
 * `message:new` (durable: `_seq`, resumable; the payload is stored once
 * however many members) and, plain, to other sockets in `chat:{roomId}`;
 * in a direct room it also goes to both parties,
 * in both clients' styles (`dm:received`/`dm:sent`, seed 002 `message.new`),
 * so `dm:*`, `message.*` and room clients see the same messages. A read goes
 * to the message's sender in both styles. A removed member's sockets leave
 * the room on every node at once.
 */
export function deliverChatEvents(events: EventSource<ChatEvents>, delivery: Delivery, io: LivegateServer): void {
  events.on('chat.message_created', ({ message, room, memberIds }) => {
    const payload = messagePayload(message);
    void delivery.durable(memberIds, 'message:new', payload, { watchers: [rooms.chat(room.id)] });
    if (room.type !== 'direct') return;
    const senderId = message.sender.id;
    const recipients = memberIds.filter((id) => id !== senderId);
    void delivery.durable(recipients, 'dm:received', payload);
    void delivery.durable([senderId], 'dm:sent', payload);
    void delivery.durable([...recipients, senderId], 'message.new', conversationPayload(message));
  });
  events.on('chat.message_read', ({ messageId, senderId, readerId, readAt }) => {
    void delivery.durable([senderId], 'message:read', { messageId, userId: readerId, readAt });
    void delivery.durable([senderId], 'message.read', { messageId, readAt });
  });
  events.on('chat.member_removed', ({ roomId, userId }) => {
    io.in(rooms.user(userId)).socketsLeave(rooms.chat(roomId));
    delivery.to(rooms.chat(roomId), 'user:left:room', { roomId, userId });
  });
}
