import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../protocol/index.ts';

export type DemoSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Answers of the acknowledgement callback, typed loosely: the demo reads a field or two. */
export type Ack = { success: true; data: Record<string, unknown> } | { success: false; error: { code: string; message: string } };

/** Connects one simulated app, resolved once the gateway has accepted its token. */
export function connectAgent(url: string, token: string): Promise<DemoSocket> {
  const socket: DemoSocket = io(url, { auth: { token }, transports: ['websocket'], reconnectionDelayMax: 2000 });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(new Error(`connect: ${err.message}`));
    });
  });
}

/** An event with an acknowledgement, as a real app sends it; a lost answer is a failure, not a hang. */
export async function send(socket: DemoSocket, event: string, payload: unknown, timeoutMs = 10_000): Promise<Ack> {
  // After close() an emit would be buffered with its ack timer running: a driver accepting an offer
  // just as the demo stops would hold the finished process open for the whole timeout.
  if (!socket.active) return { success: false, error: { code: 'CLOSED', message: 'the demo is stopping' } };
  try {
    return (await (socket as unknown as Socket).timeout(timeoutMs).emitWithAck(event, payload)) as Ack;
  } catch (err) {
    return { success: false, error: { code: 'TIMEOUT', message: (err as Error).message } };
  }
}
