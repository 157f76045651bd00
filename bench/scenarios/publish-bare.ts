/**
 * Baseline of the publish scenario: plain Socket.IO 4 as its documentation
 * shows it, with the same HTTP call — `join-event` → `socket.join('event:{id}')`
 * (anonymous sockets), `POST /api/publish` → `io.to(room).emit(event, data)`
 * per message. No auth, validation, idempotency or counting.
 *   PORT=4000 node --import tsx bench/scenarios/publish-bare.ts
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';

interface Message { to: { eventId: string }; event: string; data: unknown }

const http = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/healthz') return void res.end('ok');
  if (req.method !== 'POST' || req.url !== '/api/publish') return void (res.statusCode = 404, res.end());
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString()) as Message | { messages: Message[] };
    const messages = 'messages' in body ? body.messages : [body];
    for (const m of messages) io.to(`event:${m.to.eventId}`).emit(m.event, m.data);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ delivered: { messages: messages.length } }));
  });
});
// Node's 5 s keep-alive would close the publisher's idle connection while it waits for deliveries (Fastify keeps 72 s).
http.keepAliveTimeout = 120_000;
const io = new Server(http, { path: '/socket.io', transports: ['polling', 'websocket'], serveClient: false });
io.on('connection', (socket) => {
  socket.on('join-event', (eventId: string, ack?: (r: unknown) => void) => {
    void socket.join(`event:${eventId}`);
    socket.emit('room-joined', eventId);
    ack?.({ success: true, data: { eventId } });
  });
});
http.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => process.stdout.write(`ready ${(http.address() as { port: number }).port}\n`));
