/**
 * The chat baseline: plain Socket.IO doing the same room emit as Livegate's
 * `message:send` — JWT check, `room:join` → `socket.join`, `message:send` →
 * `io.to(room).emit('message:new', …)` and an ack. No membership check,
 * storage, sanitizing or push. Started by bench/scenarios/chat.ts.
 */
import { randomUUID } from 'node:crypto';
import { announceReady, createBareIo, PORT, type Identity } from '../baselines/common.ts';

const { http, io } = createBareIo();
io.on('connection', (socket) => {
  const { userId, role } = socket.data as Identity;
  socket.emit('authenticated', { userId, role, connectionId: socket.id });
  socket.on('room:join', (p: { roomId: string }, ack?: (r: unknown) => void) => {
    void socket.join(`chat:${p.roomId}`);
    ack?.({ success: true, data: { room: { id: p.roomId }, messages: [] } });
  });
  socket.on('message:send', (p: { roomId: string; content: string }, ack?: (r: unknown) => void) => {
    const message = { id: randomUUID(), roomId: p.roomId, senderId: userId, sender: { id: userId, name: userId }, content: p.content, type: 'text', createdAt: new Date().toISOString(), readBy: 0 };
    socket.to(`chat:${p.roomId}`).emit('message:new', message);
    ack?.({ success: true, data: { message } });
  });
});
http.listen(PORT, '127.0.0.1', () => announceReady((http.address() as { port: number }).port));
