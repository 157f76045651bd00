import type { ChatMessagePayload, ChatRoomView } from '../../src/protocol/index.ts';
import { request, type Client } from '../helpers/client.ts';
import type { TestServer } from '../helpers/server.ts';

/** Chat tests: generous limits except where a test sets its own. */
export const CHAT_ENV = { RATE_LIMIT_DEFAULT: '100000/1', RATE_LIMIT_CHAT: '100000/1', CHAT_TYPING_RATE: '100000/1' };

/** A room made over the HTTP API, as a backend would. */
export async function makeRoom(server: TestServer, members: string[], opts: { id?: string; name?: string; type?: 'group' | 'direct' } = {}): Promise<ChatRoomView> {
  const res = await server.api('/api/chat/rooms', { body: { name: opts.name ?? 'Room', type: opts.type ?? 'group', members, ...(opts.id ? { id: opts.id } : {}) } });
  if (res.status !== 201 && res.status !== 200) throw new Error(`room: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.room as ChatRoomView;
}

export async function joined(client: Client, roomId: string): Promise<void> {
  const r = await request(client, 'room:join', { roomId });
  if (!r.success) throw new Error(`room:join ${roomId}: ${JSON.stringify(r)}`);
}

export async function send(client: Client, roomId: string, content: string, tempId?: string): Promise<ChatMessagePayload> {
  const r = await request<{ message: ChatMessagePayload }>(client, 'message:send', { roomId, content, ...(tempId ? { tempId } : {}) });
  if (!r.success) throw new Error(`message:send: ${JSON.stringify(r)}`);
  return r.data.message;
}

/** Fails the test when `event` arrives on `client` within `ms`. */
export function never(client: Client, event: string, ms = 300): Promise<void> {
  return new Promise((resolve, reject) => {
    const fn = (p: unknown) => reject(new Error(`unexpected ${event}: ${JSON.stringify(p)}`));
    (client.on as (ev: string, f: (p: unknown) => void) => void)(event, fn);
    setTimeout(() => {
      (client.off as (ev: string, f: (p: unknown) => void) => void)(event, fn);
      resolve();
    }, ms);
  });
}
