import { z } from 'zod';
import { defineInbound, defineOutbound, type OutboundEvents } from '../define.ts';
import { id, isoTime, text } from '../schemas.ts';

/**
 * Family F, chat: rooms, messages, direct messages, read
 * receipts and typing (seed 003), and the marketplace conversations of seed
 * 002 over the same store (a conversation is the direct room of two users).
 * Presence and contacts are their own family.
 */
export const CHAT_ROOM_TYPES = ['group', 'direct', 'trip'] as const;
export type ChatRoomType = (typeof CHAT_ROOM_TYPES)[number];
export const MESSAGE_TYPES = ['text'] as const;

/** Bounds the service enforces with their own codes (EMPTY_MESSAGE, MESSAGE_TOO_LONG). */
export const MESSAGE_MAX_CHARS = 5000;
export const HISTORY_MAX = 100;
export const JOIN_HISTORY = 50;

/**
 * Content is checked by the service (trimmed, 1–5000 characters, with its
 * own codes); the schema only bounds what may arrive at all.
 */
const content = text().max(4 * MESSAGE_MAX_CHARS);
const tempId = text().trim().min(1).max(128).describe('the client\'s id for a retry: the same tempId from the same sender stores one message');
/** `nextCursor` of a previous page. */
export const historyCursor = text().max(18).regex(/^[1-9]\d{0,17}$/, 'expected a cursor from a previous answer');
const roomRef = z.object({ roomId: id });

// --- Server→client payloads ---

export const chatUser = z.object({ id: z.string(), name: z.string() });
export const chatMessage = z.object({
  id: z.string(),
  roomId: z.string(),
  senderId: z.string(),
  sender: chatUser,
  content: z.string().describe('HTML reduced to a small allowlist (b, i, em, strong, a href, code, pre, br, p, ul, ol, li, blockquote); other text is entity-escaped'),
  type: z.enum(MESSAGE_TYPES),
  tempId: z.string().optional(),
  createdAt: isoTime,
  readBy: z.number().int().describe('members other than the sender who read it'),
});
export const chatRoomView = z.object({ id: z.string(), name: z.string(), type: z.enum(CHAT_ROOM_TYPES), members: z.array(chatUser), closesAt: isoTime.nullable() });
export const roomJoinedPayload = z.object({ room: chatRoomView, messages: z.array(chatMessage).describe(`the last ${JOIN_HISTORY}, oldest first`) });
export const historyPage = z.object({
  messages: z.array(chatMessage).describe('newest first'),
  nextCursor: z.string().nullable().describe('pass as `before` for older messages; null on the last page'),
});
export const messageReadPayload = z.object({ messageId: z.string(), userId: z.string(), readAt: isoTime });
/** Seed 002's shapes. */
export const conversationMessage = z.object({ messageId: z.string(), senderId: z.string(), content: z.string(), timestamp: isoTime, conversationId: z.string() });
export const conversationRead = z.object({ messageId: z.string(), readAt: isoTime });

export type ChatMessagePayload = z.output<typeof chatMessage>;
export type ChatRoomView = z.output<typeof chatRoomView>;
export type RoomJoinedPayload = z.output<typeof roomJoinedPayload>;
export type HistoryPage = z.output<typeof historyPage>;
export type ConversationMessagePayload = z.output<typeof conversationMessage>;

export const chatInbound = {
  /** Members only (else `ROOM_ACCESS_DENIED`); answers the room and its last 50 messages, also as `room:joined`. */
  'room:join': defineInbound({ schema: roomRef, audience: 'authenticated', rate: 'default', ack: roomJoinedPayload }),
  'room:leave': defineInbound({ schema: roomRef, audience: 'authenticated', rate: 'default' }),
  /** Keyset pages, newest first, stable while messages arrive. */
  'room:history': defineInbound({
    schema: z.object({ roomId: id, before: historyCursor.optional(), limit: z.number().int().min(1).max(HISTORY_MAX).default(JOIN_HISTORY) }),
    audience: 'authenticated',
    rate: 'default',
    ack: historyPage,
  }),
  /** Stored, then delivered. An ack replaces `message:new` for the sending socket. */
  'message:send': defineInbound({
    schema: z.object({ roomId: id, content, type: z.enum(MESSAGE_TYPES).default('text'), tempId: tempId.optional() }),
    audience: 'authenticated',
    rate: 'chat',
    answers: ['message:new'],
    ack: z.object({ message: chatMessage }),
  }),
  /** Stops by itself after 3 s; rate-limited per user (CHAT_TYPING_RATE); never stored. */
  'typing:start': defineInbound({ schema: roomRef, audience: 'authenticated', rate: 'default' }),
  'typing:stop': defineInbound({ schema: roomRef, audience: 'authenticated', rate: 'default' }),
  /** Into the direct room of the two users (made on first use). An ack replaces `dm:sent` for the sending socket. */
  'dm:send': defineInbound({
    schema: z.object({ recipientId: id, content, tempId: tempId.optional() }),
    audience: 'authenticated',
    rate: 'chat',
    answers: ['dm:sent'],
    ack: z.object({ message: chatMessage }),
  }),
  /** Stored once per reader (the first read time stays); the sender is told. Members of the message's room only. */
  'message:read': defineInbound({ schema: z.object({ messageId: z.uuid() }), audience: 'authenticated', rate: 'default', ack: messageReadPayload }),
  /** Seed 002: a message to the direct room of the sender and `recipientId`. The ack carries the object the recipient gets. */
  'message.new': defineInbound({
    schema: z.object({ recipientId: id, content, type: z.enum(MESSAGE_TYPES).default('text'), tempId: tempId.optional() }),
    audience: 'authenticated',
    rate: 'chat',
    answers: ['message.new'],
    ack: conversationMessage,
  }),
  'message.read': defineInbound({ schema: z.object({ messageId: z.uuid() }), audience: 'authenticated', rate: 'default', ack: conversationRead }),
  /** Seed 002: typing in a conversation; stops by itself after 3 s. */
  'message.typing': defineInbound({ schema: z.object({ conversationId: id }), audience: 'authenticated', rate: 'default' }),
} as const;

export const chatOutbound = {
  'room:joined': defineOutbound({ schema: roomJoinedPayload, to: 'the socket that sent `room:join`' }),
  'user:joined:room': defineOutbound({ schema: z.object({ roomId: z.string(), user: chatUser }), to: '`chat:{roomId}` except the joining user\'s sockets' }),
  'user:left:room': defineOutbound({ schema: z.object({ roomId: z.string(), userId: z.string() }), to: '`chat:{roomId}` except the leaving user\'s sockets; also when a member is removed' }),
  'message:new': defineOutbound({ schema: chatMessage, to: '`chat:{roomId}` (the sending socket gets the ack instead when it asked for one)' }),
  'user:typing': defineOutbound({ schema: z.object({ roomId: z.string(), userId: z.string(), userName: z.string() }), to: '`chat:{roomId}` except the typing user\'s sockets' }),
  'user:stopped-typing': defineOutbound({ schema: z.object({ roomId: z.string(), userId: z.string() }), to: '`chat:{roomId}` except the typing user\'s sockets (on stop, 3 s without a new start, leave or disconnect)' }),
  'dm:received': defineOutbound({ schema: chatMessage, to: '`user:{recipientId}`, for every message in a direct room (`dm:send`, `message.new`, `message:send`)' }),
  'dm:sent': defineOutbound({ schema: chatMessage, to: '`user:{senderId}`, for every message in a direct room (the sending socket gets the ack instead when it asked for one)' }),
  'message:read': defineOutbound({ schema: messageReadPayload, to: '`user:{senderId}` of the message, the first time a member reads it' }),
  'message.new': defineOutbound({ schema: conversationMessage, to: '`user:{id}` of both parties, for every message in a direct room (the sending socket gets the ack instead when it asked for one)' }),
  'message.read': defineOutbound({ schema: conversationRead, to: '`user:{senderId}` of the message, with `message:read`' }),
  'message.typing': defineOutbound({ schema: z.object({ userId: z.string(), conversationId: z.string() }), to: '`user:{id}` of the other party, when typing starts in a direct room' }),
} as const;

export type ChatOutbound = OutboundEvents<typeof chatOutbound>;

// --- HTTP (/api/chat) ---

export const createRoomBody = z.object({
  id: id.optional(),
  name: text().trim().min(1).max(200),
  type: z.enum(['group', 'direct']),
  members: z.array(id).min(1).max(10_000),
});
export const membersBody = z.object({ userIds: z.array(id).min(1).max(10_000) });
export const historyQuery = z.object({ before: historyCursor.optional(), limit: z.coerce.number().int().min(1).max(HISTORY_MAX).default(JOIN_HISTORY) });
export const roomBody = z.object({ room: chatRoomView });
export type CreateRoomBody = z.output<typeof createRoomBody>;
