import { AppError } from '../../core/errors.ts';
import { conversationPayload, messagePayload, roomView, type MessagesService, type RoomsService } from '../../modules/chat/index.ts';
import type { Delivery } from '../delivery.ts';
import type { RateLimiter } from '../../state/rate-limiter.ts';
import type { EventHandler, HandlerContext } from '../event-router.ts';
import { rooms } from '../types.ts';
import type { TypingTracker } from './typing.ts';

export interface ChatHandlerDeps {
  rooms: RoomsService;
  messages: MessagesService;
  typing: TypingTracker;
  /** Per user, for typing events (CHAT_TYPING_RATE), on top of the router's class. */
  typingLimiter: RateLimiter;
  delivery: Delivery;
}

/** The sender as others see it: the profile or token name, else the id. */
const senderOf = ({ userId, socket }: HandlerContext) => ({ id: userId, name: socket.data.name ?? userId });

/**
 * Family F (seeds 002 and 003). The router has checked role, rate and
 * payload; the services check membership against the database. Nothing a
 * client sends routes data: rooms are joined only after the membership check.
 */
export function chatHandlers(deps: ChatHandlerDeps) {
  const join: EventHandler<'room:join'> = async (ctx, { roomId }) => {
    const { room, messages } = await deps.messages.open(roomId, ctx.userId);
    await ctx.socket.join(rooms.chat(roomId));
    // A removal that committed between the check and the join would leave this socket in the room.
    if (!(await deps.rooms.isMember(roomId, ctx.userId))) {
      await ctx.socket.leave(rooms.chat(roomId));
      throw new AppError('ROOM_ACCESS_DENIED', 'Room not found or access denied');
    }
    const payload = { room: roomView(room), messages: messages.map(messagePayload) };
    ctx.emit('room:joined', payload);
    deps.delivery.toOthers(rooms.chat(roomId), ctx.userId, 'user:joined:room', { roomId, user: senderOf(ctx) });
    return payload;
  };

  const leave: EventHandler<'room:leave'> = async (ctx, { roomId }) => {
    const room = rooms.chat(roomId);
    if (!ctx.socket.rooms.has(room)) return null;
    deps.typing.stop(ctx.socket.id, roomId);
    await ctx.socket.leave(room);
    deps.delivery.toOthers(room, ctx.userId, 'user:left:room', { roomId, userId: ctx.userId });
    return null;
  };

  const history: EventHandler<'room:history'> = async ({ userId }, { roomId, before, limit }) => {
    const page = await deps.messages.history(roomId, userId, { before, limit });
    return { messages: page.messages.map(messagePayload), nextCursor: page.nextCursor };
  };

  const send: EventHandler<'message:send'> = async (ctx, { roomId, content, type, tempId }) => {
    const message = await deps.messages.send(senderOf(ctx), roomId, { content, type, tempId });
    // Sent: whatever the sender was typing there is over.
    deps.typing.stop(ctx.socket.id, roomId);
    return { message: messagePayload(message) };
  };

  const dm: EventHandler<'dm:send'> = async (ctx, { recipientId, content, tempId }) => {
    const message = await deps.messages.sendDirect(senderOf(ctx), recipientId, { content, type: 'text', tempId });
    return { message: messagePayload(message) };
  };

  const conversationSend: EventHandler<'message.new'> = async (ctx, { recipientId, content, type, tempId }) =>
    conversationPayload(await deps.messages.sendDirect(senderOf(ctx), recipientId, { content, type, tempId }));

  const read: EventHandler<'message:read'> = ({ userId }, { messageId }) => deps.messages.markRead(userId, messageId);

  const conversationRead: EventHandler<'message.read'> = async ({ userId }, { messageId }) => {
    const { readAt } = await deps.messages.markRead(userId, messageId);
    return { messageId, readAt };
  };

  /** Members only; the other party of a direct room also gets `message.typing`. */
  const startTyping = async (ctx: HandlerContext, roomId: string) => {
    const decision = await deps.typingLimiter.consume(ctx.userId);
    if (!decision.allowed) throw new AppError('RATE_LIMIT_EXCEEDED', undefined, { retryAfterMs: decision.retryAfterMs });
    const { room, memberIds } = await deps.rooms.requireMember(roomId, ctx.userId);
    const other = room.type === 'direct' ? memberIds.find((id) => id !== ctx.userId) : undefined;
    deps.typing.start(ctx.socket.id, senderOf(ctx), roomId, other);
    return null;
  };

  const typingStart: EventHandler<'typing:start'> = (ctx, { roomId }) => startTyping(ctx, roomId);
  const conversationTyping: EventHandler<'message.typing'> = (ctx, { conversationId }) => startTyping(ctx, conversationId);
  // Only a socket that started typing (a member then) can stop: nothing to check.
  const typingStop: EventHandler<'typing:stop'> = (ctx, { roomId }) => {
    deps.typing.stop(ctx.socket.id, roomId);
    return null;
  };

  return {
    'room:join': join,
    'room:leave': leave,
    'room:history': history,
    'message:send': send,
    'typing:start': typingStart,
    'typing:stop': typingStop,
    'dm:send': dm,
    'message:read': read,
    'message.new': conversationSend,
    'message.read': conversationRead,
    'message.typing': conversationTyping,
  } as const;
}
