/**
 * Baseline for bench/cross-node.ts: a plain Socket.IO 4 server with the same
 * official Redis adapters Livegate uses (sharded Pub/Sub in static mode, or
 * the Streams adapter, same options as src/realtime/redis-adapter.ts), and the
 * same forwarding: `profile_updated` from a socket goes to the sender's user
 * room and `admins`, except the sender. No auth check, validation, rate limit,
 * metrics or registry: what is left is Socket.IO plus the adapter.
 *
 * Environment: PORT, HOST, REDIS_URL (absent = in-memory adapter), REDIS_ADAPTER (pubsub|streams),
 * BARE_SERVER_SIDE_EMIT=1 to also send one `serverSideEmit` per event, as Livegate's profile-cache
 * invalidation does (to measure what that costs), or `batch` to send the user ids gathered over 5 ms
 * in one `serverSideEmit` (to measure what batching would save).
 * The handshake's `auth.token` is taken as the user id.
 */
import { createServer } from 'node:http';
import { createShardedAdapter } from '@socket.io/redis-adapter';
import { createAdapter as createStreamsAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import { Server } from 'socket.io';

const port = Number(process.env.PORT ?? 0);
const host = process.env.HOST ?? '127.0.0.1';
const redisUrl = process.env.REDIS_URL;
const kind = process.env.REDIS_ADAPTER ?? 'pubsub';
const serverSideEmit = redisUrl ? process.env.BARE_SERVER_SIDE_EMIT : undefined;
let pending: string[] = [];
const invalidate = (userId: string) => {
  if (serverSideEmit === '1') return void io.serverSideEmit('profile:invalidate', userId);
  if (serverSideEmit !== 'batch') return;
  if (pending.length === 0) {
    setTimeout(() => {
      io.serverSideEmit('profile:invalidate', pending);
      pending = [];
    }, 5);
  }
  pending.push(userId);
};

const http = createServer((req, res) => {
  res.writeHead(req.url === '/healthz' ? 200 : 404, { 'content-type': 'application/json' });
  res.end('{"status":"ok"}');
});
const io = new Server(http, { transports: ['websocket'], serveClient: false });

const clients: { close(): Promise<unknown> }[] = [];
if (redisUrl) {
  const pub = createClient({ url: redisUrl });
  await pub.connect();
  clients.push(pub);
  if (kind === 'streams') {
    io.adapter(createStreamsAdapter(pub, { maxLen: 100_000, readCount: 500, blockTimeInMs: 2000, onlyPlaintext: true }));
  } else {
    const sub = pub.duplicate();
    await sub.connect();
    clients.push(sub);
    io.adapter(createShardedAdapter(pub, sub, { subscriptionMode: 'static' }));
  }
}

io.on('profile:invalidate', () => undefined);
io.on('connection', (socket) => {
  const userId = String((socket.handshake.auth as { token?: unknown }).token ?? socket.id);
  void socket.join(`user:${userId}`);
  socket.on('profile_updated', (payload: { changes?: string[] }) => {
    invalidate(userId);
    socket.to([`user:${userId}`, 'admins']).emit('profile_updated', { userId, changes: payload.changes ?? [], timestamp: new Date().toISOString() });
  });
});

http.listen(port, host);
process.once('SIGTERM', () => {
  io.close(() => void Promise.all(clients.map((c) => c.close().catch(() => undefined))).then(() => process.exit(0)));
  setTimeout(() => process.exit(0), 2000).unref();
});
