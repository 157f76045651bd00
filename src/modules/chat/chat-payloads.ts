import type { ChatMessagePayload, ChatRoomView, ConversationMessagePayload } from '../../protocol/families/chat.ts';
import type { ChatMessage, RoomWithMembers } from './chat-types.ts';

/** Seed 003's message shape (`message:new`, `dm:*`, history). `tempId` only when the sender gave one. */
export function messagePayload(m: ChatMessage): ChatMessagePayload {
  return {
    id: m.id, roomId: m.roomId, senderId: m.sender.id, sender: m.sender, content: m.content, type: m.type,
    ...(m.tempId !== null ? { tempId: m.tempId } : {}), createdAt: m.createdAt, readBy: m.readBy,
  };
}

/** Seed 002's `message.new`: a conversation is the direct room. */
export function conversationPayload(m: ChatMessage): ConversationMessagePayload {
  return { messageId: m.id, senderId: m.sender.id, content: m.content, timestamp: m.createdAt, conversationId: m.roomId };
}

export function roomView(r: RoomWithMembers): ChatRoomView {
  return { id: r.id, name: r.name, type: r.type, members: r.members, closesAt: r.closesAt };
}
