/**
 * The server side of bench/scenarios/dashboard.ts, one process per run:
 *   node --import tsx bench/scenarios/dashboard-server.ts <livegate|bare> <vehicles> <fixesPerVehiclePerS> <batchMs> <dashboards>
 * Generates the fixes itself (the same generator for both), as the location
 * pipeline would hand them on once accepted, and delivers them to the
 * `/admin` `dashboard` room: through Livegate's DashboardFeed (coalesced,
 * one batch per interval) or as bare Socket.IO does it (one emit per fix).
 * Prints `ready <port>`.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { Metrics } from '../../src/observability/metrics.ts';
import { DASHBOARD_ROOM, DashboardFeed } from '../../src/realtime/dashboard/feed.ts';
import type { LivegateServer } from '../../src/realtime/types.ts';

const [impl = 'livegate', vehiclesArg = '10000', rateArg = '1', batchArg = '500', dashboardsArg = '0'] = process.argv.slice(2);
const VEHICLES = Number(vehiclesArg);
const RATE = Number(rateArg);
const TICK_MS = 10;

const http = createServer();
const io: LivegateServer = new Server(http, { transports: ['websocket'], serveClient: false });
const admin = io.of('/admin');
// No token checks on either side: the bench measures delivery, which starts after the handshake.
admin.on('connection', (socket) => void socket.join(DASHBOARD_ROOM));

const ids = Array.from({ length: VEHICLES }, (_, i) => `veh-${i}`);
let deliver: (id: string, fix: { latitude: number; longitude: number; heading: number; at: number }) => void;
if (impl === 'livegate') {
  const feed = new DashboardFeed({ io, metrics: new Metrics(), batchMs: Number(batchArg), crossNode: false, staleAfterMs: 60_000, isAvailable: () => true, now: () => Date.now() });
  feed.start();
  deliver = (id, fix) => feed.vehicleMoved(id, fix);
} else {
  const room = admin.to(DASHBOARD_ROOM);
  deliver = (vehicleId, fix) => room.emit('vehicle:location', { vehicleId, location: { lat: fix.latitude, lng: fix.longitude, speed: null, heading: fix.heading, timestamp: new Date(fix.at).toISOString() } });
}

// Open loop: every vehicle moves RATE times a second, round robin, whatever the delivery costs.
// It starts once every dashboard is connected, so connecting does not compete with delivery.
let started = 0;
let sent = 0;
let next = 0;
setInterval(() => {
  if (!started) {
    if (admin.sockets.size < Number(dashboardsArg)) return;
    started = performance.now();
  }
  const due = Math.floor(((performance.now() - started) / 1000) * VEHICLES * RATE);
  const now = Date.now();
  for (; sent < due; sent++) {
    const i = next;
    next = (next + 1) % VEHICLES;
    deliver(ids[i]!, { latitude: 15.5 + (i % 100) * 0.001 + (sent % 7) * 1e-5, longitude: 32.5 + Math.floor(i / 100) * 0.001, heading: sent % 360, at: now });
  }
}, TICK_MS);
setInterval(() => process.stdout.write(`sent ${sent}\n`), 1000).unref();

http.listen(0, '127.0.0.1', () => process.stdout.write(`ready ${(http.address() as { port: number }).port}\n`));
