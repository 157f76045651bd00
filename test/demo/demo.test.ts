import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { connectAgent, send } from '../../src/cli/demo/agent.ts';
import { eventually, within } from '../helpers/eventually.ts';
import { runCli, type CliProcess } from '../helpers/process.ts';
import { startServer, TEST_SECRET, type TestServer } from '../helpers/server.ts';
import type { Client } from '../helpers/client.ts';

// The demo drives at 20x with vehicles up to 1000 km/h; the gateway must accept such fixes.
const ENV = { LOCATION_MAX_SPEED_KMH: '5000', RATE_LIMIT_DEFAULT: '1000/1' };

let server: TestServer;
let admin: Client;
const seen: Record<string, unknown[]> = { 'vehicle:low-fuel': [], 'geofence:enter': [], 'emergency:alert': [] };
const children: CliProcess[] = [];

const demo = (...args: string[]) => {
  const child = runCli(['demo', '--url', server.url, '--speed', '20', '--max-kmh', '1000', '--drivers', '8', '--riders', '6', ...args], { NODE_ENV: 'test', JWT_SECRET: TEST_SECRET, DATA_DIR: 'memory', LOG_LEVEL: 'warn' });
  children.push(child);
  return child;
};

before(async () => {
  server = await startServer(ENV);
  admin = await server.client('observer', 'admin');
  for (const event of Object.keys(seen)) admin.on(event as 'vehicle:low-fuel', (p: unknown) => seen[event]!.push(p));
  await admin.emitWithAck('subscribe:tracking', undefined as never);
});

after(async () => {
  for (const c of children) await c.kill();
  await server?.close();
});

test('the demo completes and pays trips, reports low fuel, crosses the geofence, and exits 0 on SIGINT', async () => {
  const child = demo('--duration', '120');
  // Everything below is checked on the server: its database and what an admin socket receives.
  await eventually(async () => {
    const { rows } = await server.app.db.query<{ id: string }>(`SELECT t.id FROM trips t JOIN payments p ON p.trip_id = t.id WHERE t.status = 'completed' AND p.status = 'completed' AND t.passenger_id LIKE 'demo-rider-%'`);
    assert.ok(rows.length >= 1, `no completed and paid trip yet\n${child.stdout()}\n${child.stderr()}`);
    const trip = await server.api(`/api/trips/${rows[0]!.id}`);
    assert.equal(trip.body.status, 'completed');
    assert.ok(seen['vehicle:low-fuel']!.length >= 1, 'no vehicle:low-fuel');
    assert.ok(seen['geofence:enter']!.length >= 1, 'no geofence:enter');
  }, 100_000, 500);
  assert.match(child.stdout(), /drivers 8 · riders 6 · trips requested \d+/);
  child.proc.kill('SIGINT');
  const { code } = await child.exited;
  assert.equal(code, 0, child.stderr());
  assert.match(child.stdout(), /Demo stopped\./);
});

test('--duration stops the demo by itself with exit 0; bad flags exit 2', async () => {
  const child = demo('--duration', '3');
  const { code } = await child.exited;
  assert.equal(code, 0, child.stderr());
  const bad = demo('--speed', 'fast');
  assert.equal((await bad.exited).code, 2);
  assert.match(bad.stderr(), /--speed takes a number/);
});

test('an agent that sends after its socket was closed is answered at once, not after the ack timeout', async () => {
  const socket = await connectAgent(server.url, await server.token('demo-driver-late', 'driver'));
  assert.equal((await send(socket, 'ping', undefined)).success, true);
  socket.close();
  // Buffered with its ack timer, this emit would hold a stopping demo's process open for 10 s.
  const late = await within(send(socket, 'trip_accept', { tripId: 'x' }, 10_000), 1000, 'the answer to an emit on a closed socket');
  assert.deepEqual(late, { success: false, error: { code: 'CLOSED', message: 'the demo is stopping' } });
});
