import { useCallback, useState } from 'react';
import type { EventPayload } from '@livegate/client';
import { useLivegate } from './context.tsx';
import { useEvent, useOnConnect } from './use-event.ts';

export type Notification = EventPayload<'notification:new'>;

export interface NotificationsState {
  unreadCount: number;
  /** Notifications received while mounted, newest first. */
  received: Notification[];
  /** Marks one notification (or `"all"`) read; resolves with the unread count left. */
  markRead(id: string | 'all'): Promise<number>;
}

/** The unread count (`notification:request-count`, then every `notification:count`) and new notifications. */
export function useNotifications(): NotificationsState {
  const client = useLivegate();
  const [unreadCount, setUnread] = useState(0);
  const [received, setReceived] = useState<Notification[]>([]);
  // The server's count is the truth (other devices mark read too): ask for it at connect and after news.
  const recount = () => client.emit('notification:request-count').then((a) => setUnread(a.count), () => undefined);
  useOnConnect(client, recount, []);
  useEvent('notification:count', (p) => setUnread(p.count));
  const receive = (news: Notification[]) => {
    setReceived((list) => [...news.reverse(), ...list.filter((x) => !news.some((n) => n.id === x.id))]);
    void recount();
  };
  useEvent('notification:new', (n) => receive([n]));
  useEvent('notifications:batch', (batch) => receive(batch.map((n) => ({ ...n, _id: n.id }))));
  const markRead = useCallback(async (id: string | 'all') => {
    const { count } = await client.emit('notification:mark-read', id);
    setUnread(count);
    return count;
  }, [client]);
  return { unreadCount, received, markRead };
}
