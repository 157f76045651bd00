import { io } from 'socket.io-client';
import type { Role } from '../../src/protocol/index.ts';
import { request, type Client } from '../helpers/client.ts';
import type { TestServer } from '../helpers/server.ts';
import { placeDriver, SEED_REQUEST } from '../trips/fixtures.ts';

/**
 * A real client that has not connected yet, so listeners for what arrives
 * right after the handshake (`notification:count`, replayed alerts) are in
 * place before `socket.connect()`. Closed by `closeAll()`.
 */
const opened: Client[] = [];
export async function unconnected(server: TestServer, sub: string, role: Role): Promise<Client> {
  const socket: Client = io(server.url, { transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false, auth: { token: await server.token(sub, role) } });
  opened.push(socket);
  return socket;
}
export function closeAll(): void {
  for (const s of opened.splice(0)) s.close();
}

/** Resolves once the cluster-wide registry lists `userId` (the session hooks have run by then). */
export async function registered(server: TestServer, userId: string, count = 1): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const res = await server.api(`/api/connections?userId=${encodeURIComponent(userId)}`);
    if (res.body.count === count) return;
    if (Date.now() > deadline) throw new Error(`${userId}: ${res.body.count} connections, expected ${count}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Seed 000's trip, requested by `passenger` and accepted by `driver` (both connected); returns the tripId. */
export async function acceptedTrip(server: TestServer, passenger: Client, driver: Client, driverId: string, clock: { now(): number }): Promise<string> {
  placeDriver(server, driverId, clock);
  const asked = await request<{ tripId: string }>(passenger, 'trip_request', SEED_REQUEST);
  if (!asked.success) throw new Error(`trip_request: ${JSON.stringify(asked)}`);
  const accepted = await request(driver, 'trip_accept', { tripId: asked.data.tripId });
  if (!accepted.success) throw new Error(`trip_accept: ${JSON.stringify(accepted)}`);
  return asked.data.tripId;
}
