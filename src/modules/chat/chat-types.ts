import type { ChatRoomType } from '../../protocol/families/chat.ts';

export interface ChatUser { id: string; name: string }

export interface ChatRoom {
  id: string;
  name: string;
  type: ChatRoomType;
  /** Trip rooms: no new messages from this ISO instant on; null while open. */
  closesAt: string | null;
  createdAt: string;
}

export interface RoomWithMembers extends ChatRoom { members: ChatUser[] }

export interface ChatMessage {
  id: string;
  /** Keyset position in its room's history (bigint as a string). */
  seq: string;
  roomId: string;
  sender: ChatUser;
  type: 'text';
  /** Plaintext (decrypted when stored encrypted). */
  content: string;
  tempId: string | null;
  createdAt: string;
  /** Members other than the sender who read it. */
  readBy: number;
}

/**
 * What the chat module reports; the delivery layer (src/realtime/chat/)
 * turns these into emits. `memberIds` is the room's membership when the
 * message was stored (direct rooms: both parties).
 */
export interface ChatEvents {
  'chat.message_created': { message: ChatMessage; room: ChatRoom; memberIds: readonly string[] };
  'chat.message_read': { messageId: string; senderId: string; readerId: string; readAt: string };
  'chat.member_removed': { roomId: string; userId: string };
  'chat.members_added': { roomId: string; userIds: readonly string[] };
}
