/**
 * Baseline (b): what a team following the seed documents' sample code
 * literally would ship (seeds 000, 001, 003, 004). Socket.IO 4 with the same
 * JWT check, and then the seeds' patterns:
 *  - `connections` Map socketId → userId and `connectedUsers` Map userId →
 *    socket (seed 004's WebSocketManager; the last socket of a user wins);
 *  - `isUserOnline(userId)` scanning every connected socket (seed 003);
 *  - vehicle subscriptions as a list of subscriber user ids, and every GPS
 *    update emitted in a loop per subscriber user (seed 000's
 *    `nearbyDrivers.forEach(d => server.to('user:' + d.id).emit(…))`), each
 *    checked with `isUserOnline` first, like seed 003's offline-member filter;
 *  - `emitGPSUpdate` also sends `tracking:update` to `fleet` subscribers
 *    (seed 001), and nothing is coalesced: every fix is delivered.
 *   PORT=4000 JWT_SECRET=… node --import tsx bench/baselines/seed-style.ts
 */
import { createServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { announceReady, handleHttp, PORT, vehicleLocation, vehicleOfDriver, verifyToken, type Fix, type Identity } from './common.ts';

const http = createServer(handleHttp);
const io = new Server(http, { path: '/socket.io', transports: ['polling', 'websocket'], serveClient: false });
const connections = new Map<string, string>();
const connectedUsers = new Map<string, Socket>();
/** vehicleId → subscriber user ids (seed 001's subscribe:vehicle). */
const vehicleSubscribers = new Map<string, string[]>();
const fleetSubscribers: string[] = [];

function isUserOnline(userId: string): boolean {
  for (const [, socket] of io.sockets.sockets) {
    if ((socket.data as Identity).userId === userId) return true;
  }
  return false;
}

function emitGPSUpdate(vehicleId: string, fix: Fix): void {
  for (const userId of vehicleSubscribers.get(vehicleId) ?? []) {
    if (isUserOnline(userId)) io.to(`user:${userId}`).emit('vehicle:location', vehicleLocation(vehicleId, fix));
  }
  for (const userId of fleetSubscribers) {
    if (isUserOnline(userId)) io.to(`user:${userId}`).emit('tracking:update', vehicleLocation(vehicleId, fix));
  }
}

io.use(async (socket, next) => {
  const id = await verifyToken((socket.handshake.auth as { token?: unknown }).token);
  if (!id) return next(new Error('Invalid or expired token'));
  socket.data = id;
  next();
});

io.on('connection', (socket) => {
  const { userId, role } = socket.data as Identity;
  connections.set(socket.id, userId);
  connectedUsers.set(userId, socket);
  void socket.join(`user:${userId}`);
  socket.emit('authenticated', { userId, role, connectionId: socket.id });

  socket.on('subscribe:vehicle', (vehicleId: string, ack?: (r: unknown) => void) => {
    if (role !== 'admin') return ack?.({ success: false, error: { code: 'ROOM_ACCESS_DENIED' } });
    const list = vehicleSubscribers.get(vehicleId) ?? [];
    if (!list.includes(userId)) list.push(userId);
    vehicleSubscribers.set(vehicleId, list);
    ack?.({ success: true, data: { vehicleId } });
  });
  socket.on('driver_location_update', async (fix: Fix, ack?: (r: unknown) => void) => {
    try {
      const vehicleId = vehicleOfDriver.get(userId);
      if (vehicleId) emitGPSUpdate(vehicleId, fix);
      ack?.({ success: true });
    } catch (error) {
      console.error('Location update failed:', error);
    }
  });
  socket.on('ping', () => socket.emit('pong'));
  socket.on('disconnect', () => {
    connections.delete(socket.id);
    if (connectedUsers.get(userId) === socket) connectedUsers.delete(userId);
  });
});

http.listen(PORT, '127.0.0.1', () => announceReady((http.address() as { port: number }).port));
