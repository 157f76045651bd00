/**
 * Baseline (a): plain Socket.IO 4, written the way its documentation shows —
 * the floor of Livegate's stack overhead. JWT (jose HS256) in a middleware,
 * `user:{id}` joined at connect, `subscribe:vehicle` → `socket.join`, a
 * driver's `driver_location_update` → `io.to('vehicle:{id}').emit('vehicle:location')`,
 * `ping` → `pong`. No validation, rate limits, storage or coalescing.
 *   PORT=4000 JWT_SECRET=… node --import tsx bench/baselines/bare-socketio.ts
 */
import { announceReady, createBareIo, PORT, vehicleLocation, vehicleOfDriver, type Fix, type Identity } from './common.ts';

const { http, io } = createBareIo();

io.on('connection', (socket) => {
  const { userId, role } = socket.data as Identity;
  void socket.join(`user:${userId}`);
  socket.emit('authenticated', { userId, role, connectionId: socket.id });
  socket.on('subscribe:vehicle', (vehicleId: string, ack?: (r: unknown) => void) => {
    if (role !== 'admin') return ack?.({ success: false, error: { code: 'ROOM_ACCESS_DENIED' } });
    void socket.join(`vehicle:${vehicleId}`);
    ack?.({ success: true, data: { vehicleId } });
  });
  socket.on('driver_location_update', (fix: Fix, ack?: (r: unknown) => void) => {
    const vehicleId = vehicleOfDriver.get(userId);
    if (vehicleId) io.to(`vehicle:${vehicleId}`).emit('vehicle:location', vehicleLocation(vehicleId, fix));
    // The relay scenario (bench/location-relay.ts): the driver's watchers, passenger included, get the fix.
    const watched = `driver_location:${userId}`;
    if (io.sockets.adapter.rooms.has(watched)) io.to(watched).emit('driver_location_update', { tripId: 'bench', driverId: userId, location: fix.location, timestamp: fix.timestamp, estimatedArrival: 3, distance: 1.2 });
    ack?.({ success: true });
  });
  socket.on('join_driver_location', (p: { driverId?: unknown }, ack?: (r: unknown) => void) => {
    void socket.join(`driver_location:${String(p?.driverId)}`);
    ack?.({ success: true });
  });
  socket.on('ping', () => socket.emit('pong'));
});

http.listen(PORT, '127.0.0.1', () => announceReady((http.address() as { port: number }).port));
