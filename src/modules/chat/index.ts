/**
 * The chat module (family F): rooms and members, messages with
 * keyset history, read receipts, direct rooms (seed 003 DMs and seed 002
 * conversations), trip rooms, encryption at rest and pushes to offline
 * members. Other modules use only what is exported here.
 */
import type { Clock } from '../../core/clock.ts';
import type { Publisher } from '../../core/domain-events.ts';
import type { Queryable } from '../../storage/index.ts';
import type { ChatEvents } from './chat-types.ts';
import { ContentCipher, type ChatKey } from './cipher.ts';
import { MessagesRepository } from './messages.repository.ts';
import { MessagesService } from './messages.service.ts';
import { RoomsRepository } from './rooms.repository.ts';
import { RoomsService } from './rooms.service.ts';

export type { ChatEvents, ChatMessage, ChatRoom, ChatUser, RoomWithMembers } from './chat-types.ts';
export type { ChatKey } from './cipher.ts';
export { ContentCipher } from './cipher.ts';
export { cleanContent } from './content.ts';
export { MessagesService, type SendInput, type HistoryResult } from './messages.service.ts';
export { RoomsService } from './rooms.service.ts';
export { messagePayload, conversationPayload, roomView } from './chat-payloads.ts';
export { notifyOfflineMembers, type ChatNotifier } from './offline-push.ts';
export { openTripChats, type TripChatEvents } from './trip-chat.ts';

export interface ChatSettings {
  /** CHAT_ENCRYPTION_KEY: the first key encrypts, all decrypt; empty = stored as plaintext. */
  readonly encryptionKeys: readonly ChatKey[];
  readonly tripRoomCloseAfterMs: number;
}

export interface ChatModuleDeps {
  db: Queryable;
  events: Publisher<ChatEvents>;
  clock: Clock;
  settings: ChatSettings;
}

export interface ChatModule {
  rooms: RoomsService;
  messages: MessagesService;
}

export function createChatModule(deps: ChatModuleDeps): ChatModule {
  const rooms = new RoomsService({ repo: new RoomsRepository(deps.db), events: deps.events, clock: deps.clock, tripRoomCloseAfterMs: deps.settings.tripRoomCloseAfterMs });
  const cipher = new ContentCipher(deps.settings.encryptionKeys);
  const messages = new MessagesService({ repo: new MessagesRepository(deps.db), rooms, cipher, events: deps.events, clock: deps.clock });
  return { rooms, messages };
}
