import type { Logger } from '../../core/logger.ts';
import type { ChatEvents } from './chat-types.ts';
import { preview } from './content.ts';
import type { EventSource } from '../../core/domain-events.ts';

/** The narrow slice of the notifications module chat uses (NotificationsService satisfies it). */
export interface ChatNotifier {
  send(target: { userIds: string[] }, input: { type: 'info'; title: string; message: string; data: Record<string, unknown> }, opts: { dedupeKey?: string }): Promise<unknown>;
}

/**
 * Members with no socket anywhere in the cluster get a new message as a
 * notification: one inbox entry per offline member (one insert for all of
 * them), which the notifications module's push relay sends to
 * PUSH_WEBHOOK_URL when that is set. Online members get nothing here (they
 * have the live events). Keyed by message, so a replay creates nothing.
 */
export function notifyOfflineMembers(events: EventSource<ChatEvents>, deps: { onlineAmong(userIds: readonly string[]): Promise<ReadonlySet<string>>; notifier: ChatNotifier }, log: Logger): void {
  events.on('chat.message_created', ({ message, room, memberIds }) => {
    void (async () => {
      const others = memberIds.filter((id) => id !== message.sender.id);
      const online = await deps.onlineAmong(others);
      const offline = others.filter((id) => !online.has(id));
      if (offline.length === 0) return;
      await deps.notifier.send({ userIds: offline }, {
        type: 'info',
        title: room.type === 'group' ? `${message.sender.name} in ${room.name}` : message.sender.name,
        message: preview(message.content) || 'New message',
        data: { kind: 'chat.message', roomId: room.id, messageId: message.id, senderId: message.sender.id },
      }, { dedupeKey: `chat:${message.id}` });
    })().catch((err: unknown) => log.warn({ err, messageId: message.id }, 'chat push for offline members failed'));
  });
}
