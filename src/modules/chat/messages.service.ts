import { randomUUID } from 'node:crypto';
import { isoNow, type Clock } from '../../core/clock.ts';
import type { Publisher } from '../../core/domain-events.ts';
import { AppError } from '../../core/errors.ts';
import { JOIN_HISTORY } from '../../protocol/families/chat.ts';
import type { ContentCipher } from './cipher.ts';
import type { ChatEvents, ChatMessage, ChatRoom, ChatUser, RoomWithMembers } from './chat-types.ts';
import { cleanContent } from './content.ts';
import type { MessagesRepository, StoredMessage } from './messages.repository.ts';
import type { RoomsService } from './rooms.service.ts';

export interface MessagesServiceDeps {
  repo: MessagesRepository;
  rooms: RoomsService;
  cipher: ContentCipher;
  events: Publisher<ChatEvents>;
  clock: Clock;
}

export interface SendInput { content: string; type: 'text'; tempId?: string | undefined }
export interface HistoryResult { messages: ChatMessage[]; nextCursor: string | null }

/**
 * Messages, history and read receipts. A message is stored before it is
 * reported; a retried tempId reports nothing new. Knows nothing about sockets.
 */
export class MessagesService {
  constructor(private readonly d: MessagesServiceDeps) {}

  /** Members only; trip rooms refuse messages once closed (INVALID_STATE). */
  async send(sender: ChatUser, roomId: string, input: SendInput): Promise<ChatMessage> {
    const content = cleanContent(input.content);
    const { room, memberIds } = await this.d.rooms.requireMember(roomId, sender.id);
    return this.store(sender, room, memberIds, content, input);
  }

  /** Into the direct room of the two users, made on first use. */
  async sendDirect(sender: ChatUser, recipientId: string, input: SendInput): Promise<ChatMessage> {
    const content = cleanContent(input.content);
    const room = await this.d.rooms.direct(sender.id, recipientId);
    return this.store(sender, room, [sender.id, recipientId], content, input);
  }

  /** The room with its last messages, oldest first, for a member. */
  async open(roomId: string, userId: string): Promise<{ room: RoomWithMembers; messages: ChatMessage[] }> {
    const { room } = await this.d.rooms.requireMember(roomId, userId);
    const [withMembers, page] = await Promise.all([this.d.rooms.withMembers(room), this.d.repo.page(roomId, undefined, JOIN_HISTORY)]);
    return { room: withMembers, messages: page.map((m) => this.toMessage(m)).reverse() };
  }

  /** Newest first; `viewerId` null for staff over HTTP, else members only. */
  async history(roomId: string, viewerId: string | null, page: { before?: string | undefined; limit: number }): Promise<HistoryResult> {
    if (viewerId === null) await this.d.rooms.get(roomId);
    else await this.d.rooms.requireMember(roomId, viewerId);
    const rows = await this.d.repo.page(roomId, page.before, page.limit + 1);
    const messages = rows.slice(0, page.limit).map((m) => this.toMessage(m));
    return { messages, nextCursor: rows.length > page.limit ? rows[page.limit - 1]!.seq : null };
  }

  /**
   * Stores the reader's first read (members of the message's room only) and
   * tells the sender once. Reading one's own message records nothing.
   */
  async markRead(readerId: string, messageId: string): Promise<{ messageId: string; userId: string; readAt: string }> {
    const now = isoNow(this.d.clock);
    const own = await this.d.repo.get(messageId);
    if (own && own.senderId === readerId) return { messageId, userId: readerId, readAt: now };
    const read = await this.d.repo.markRead(messageId, readerId, now);
    if (!read) throw new AppError('NOT_FOUND', `Message ${messageId} not found`);
    if (read.created) this.d.events.publish('chat.message_read', { messageId, senderId: read.senderId, readerId, readAt: read.readAt });
    return { messageId, userId: readerId, readAt: read.readAt };
  }

  private async store(sender: ChatUser, room: ChatRoom, memberIds: readonly string[], content: string, input: SendInput): Promise<ChatMessage> {
    const now = isoNow(this.d.clock);
    if (room.closesAt !== null && room.closesAt <= now) throw new AppError('INVALID_STATE', 'This chat is closed');
    const sealed = this.d.cipher.seal(content);
    const { message, created } = await this.d.repo.insert({
      id: randomUUID(), roomId: room.id, senderId: sender.id, senderName: sender.name, type: input.type,
      content: sealed.content, keyId: sealed.keyId, tempId: input.tempId ?? null, createdAt: now,
    });
    // The same tempId reused for another room is a client bug, not a retry.
    if (message.roomId !== room.id) throw new AppError('CONFLICT', 'tempId already used for a message in another room', { field: 'tempId' });
    const result = this.toMessage(message);
    if (created) this.d.events.publish('chat.message_created', { message: result, room, memberIds });
    return result;
  }

  private toMessage(m: StoredMessage): ChatMessage {
    return {
      id: m.id, seq: m.seq, roomId: m.roomId, sender: { id: m.senderId, name: m.senderName }, type: m.type,
      content: this.d.cipher.open(m.content, m.keyId), tempId: m.tempId, createdAt: m.createdAt, readBy: m.readBy,
    };
  }
}
