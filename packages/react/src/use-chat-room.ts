import { useCallback, useState } from 'react';
import { LivegateError, type AckData } from '@livegate/client';
import { useLivegate } from './context.tsx';
import { useEvent, useOnConnect } from './use-event.ts';

type Joined = AckData<'room:join'>;
export type ChatMessage = Joined['messages'][number];

export interface ChatRoomState {
  room: Joined['room'] | undefined;
  /** Oldest first: the last 50 at join, then every message sent while mounted. */
  messages: ChatMessage[];
  error: LivegateError | undefined;
  /** Sends a message; resolves with it once stored. */
  send(content: string): Promise<ChatMessage>;
}

/** Joins a chat room (`room:join`, again after reconnects) and follows its messages (`message:new`). */
export function useChatRoom(roomId: string | undefined): ChatRoomState {
  const client = useLivegate();
  const [room, setRoom] = useState<Joined['room']>();
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [error, setError] = useState<LivegateError>();
  const add = (m: ChatMessage) => setMessages((list) => (list.some((x) => x.id === m.id) ? list : [...list, m]));
  useOnConnect(client, () => {
    if (!roomId) return;
    client.emit('room:join', { roomId }).then(
      (joined) => {
        setRoom(joined.room);
        setMessages((list) => [...joined.messages, ...list.filter((m) => !joined.messages.some((j) => j.id === m.id))]);
        setError(undefined);
      },
      (err: unknown) => setError(err instanceof LivegateError ? err : new LivegateError('INTERNAL_ERROR', String(err))),
    );
  }, [roomId]);
  useEvent('message:new', (m) => {
    if (m.roomId === roomId) add(m);
  });
  const send = useCallback(async (content: string) => {
    if (!roomId) throw new LivegateError('INVALID_STATE', 'no room');
    const { message } = await client.emit('message:send', { roomId, content });
    add(message);
    return message;
  }, [client, roomId]);
  return { room, messages, error, send };
}
