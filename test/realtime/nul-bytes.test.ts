import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Role } from '../../src/protocol/index.ts';
import { collect, connectError, request, type Client } from '../helpers/client.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { SEED_REQUEST, TRIP_ENV } from '../trips/fixtures.ts';

/**
 * PostgreSQL (and PGlite) refuse U+0000 in text. Every row sends one inbound
 * event with a NUL in one string field of an otherwise valid payload: the ack
 * must be VALIDATION_ERROR naming that field, never a storage error.
 */
const NUL = '\u0000';
const location = { latitude: 15.5, longitude: 32.5, address: 'Khartoum' };
const fix = { latitude: 15.5, longitude: 32.5 };

/** `reportedAt`: where the answer names the problem when it is not the field itself (a union reports at its root). */
interface Row { role: Role; event: string; payload: unknown; fields: string[]; reportedAt?: string }
const rows: Row[] = [
  { role: 'passenger', event: 'trip_request', payload: SEED_REQUEST, fields: ['pickupAddress', 'dropoffAddress', 'notes'] },
  { role: 'passenger', event: 'trip_cancel', payload: { tripId: randomUUID(), reason: 'changed my mind' }, fields: ['reason'] },
  { role: 'passenger', event: 'emergency_alert', payload: { location, message: 'Help' }, fields: ['message', 'location.address'] },
  { role: 'driver', event: 'driver_location_update', payload: { tripId: 'trip-1', location: fix }, fields: ['tripId'] },
  { role: 'admin', event: 'get_nearby_drivers', payload: { location: fix, vehicleType: 'sedan' }, fields: ['vehicleType'] },
  { role: 'passenger', event: 'join_driver_location', payload: { driverId: 'nul-d' }, fields: ['driverId'] },
  { role: 'passenger', event: 'profile_updated', payload: { userId: 'nul-p', changes: ['name'] }, fields: ['userId', 'changes.0'] },
  { role: 'passenger', event: 'leave_room', payload: { roomId: 'room-1' }, fields: ['roomId'] },
  { role: 'driver', event: 'subscribe:vehicle', payload: { vehicleId: 'nul-v' }, fields: ['vehicleId'], reportedAt: '' },
  { role: 'driver', event: 'unsubscribe:vehicle', payload: { vehicleId: 'nul-v' }, fields: ['vehicleId'], reportedAt: '' },
  { role: 'passenger', event: 'auth:refresh', payload: { token: 'x'.repeat(40) }, fields: ['token'] },
  { role: 'passenger', event: 'process_payment', payload: { tripId: randomUUID(), idempotencyKey: 'key-1' }, fields: ['idempotencyKey'] },
  { role: 'passenger', event: 'notification:list', payload: { cursor: '12' }, fields: ['cursor'] },
];

function withNulAt(payload: unknown, path: string): unknown {
  const copy = structuredClone(payload) as Record<string, unknown>;
  const keys = path.split('.');
  let node = copy;
  for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>;
  const last = keys.at(-1)!;
  node[last] = `${String(node[last])}${NUL}x`;
  return copy;
}

describe('NUL bytes in socket payloads: VALIDATION_ERROR, never a storage error', () => {
  let server: TestServer;
  const sockets = new Map<Role, Client>();
  before(async () => {
    server = await startServer(TRIP_ENV);
    sockets.set('passenger', await server.client('nul-p', 'passenger'));
    sockets.set('driver', await server.client('nul-d', 'driver'));
    sockets.set('admin', await server.client('nul-admin', 'admin'));
  });
  after(() => server.close());

  test('every string field of every inbound event', async () => {
    const failures: string[] = [];
    for (const row of rows) {
      for (const field of row.fields) {
        const answer = await request(sockets.get(row.role)!, row.event, withNulAt(row.payload, field));
        const error = answer.success ? undefined : answer.error;
        if (error?.code !== 'VALIDATION_ERROR' || (error.details as { field?: string } | undefined)?.field !== (row.reportedAt ?? field)) {
          failures.push(`${row.event} ${field}: ${JSON.stringify(answer)}`);
        }
      }
    }
    assert.deepEqual(failures, []);
  });

  test('bare-string payloads (seed 001 style) too', async () => {
    for (const event of ['subscribe:vehicle', 'unsubscribe:vehicle']) {
      const answer = await request(sockets.get('driver')!, event, `nul-v${NUL}`);
      assert.equal(!answer.success && answer.error.code, 'VALIDATION_ERROR', event);
    }
  });

  test('an alert with a NUL message is refused, neither stored nor delivered', async () => {
    const admin = sockets.get('admin')!;
    const adminSaw = collect(admin, 'emergency_alert');
    const answer = await request(sockets.get('passenger')!, 'emergency_alert', { location, message: `Help${NUL}` });
    assert.equal(!answer.success && answer.error.code, 'VALIDATION_ERROR');
    await request(admin, 'ping');
    assert.deepEqual(adminSaw, []);
    assert.deepEqual((await server.api('/api/alerts?status=all')).body.alerts, []);
  });

  test('an alert the database refuses is not delivered either (stored first, then published)', async () => {
    const admin = sockets.get('admin')!;
    const adminSaw = collect(admin, 'emergency_alert');
    // Straight to the service, past the schema: the database itself refuses the row.
    await assert.rejects(server.app.alerts.raiseFromUser('nul-p', { location, message: `Help${NUL}`, severity: 'high' }));
    await request(admin, 'ping');
    assert.deepEqual(adminSaw, []);
    assert.deepEqual((await server.api('/api/alerts?status=all')).body.alerts, []);
  });

  test('a signed token whose claims carry a NUL is refused at the handshake and over HTTP, never a storage error', async () => {
    for (const claims of [{ sub: `nul${NUL}user` }, { sub: 'nul-name', name: `A${NUL}` }]) {
      const token = await server.token(claims.sub, 'passenger', 'name' in claims ? { name: claims.name } : {});
      const err = await connectError(server.url, { token });
      assert.equal(err.data?.code, 'AUTH_FAILED', JSON.stringify(claims));
      const admin = await server.token(claims.sub, 'admin', 'name' in claims ? { name: claims.name } : {});
      assert.equal((await server.api('/api/connections', { token: admin })).status, 401, JSON.stringify(claims));
    }
  });

  test('the server and the same sockets still work afterwards', async () => {
    assert.equal((await server.api('/readyz', { token: null })).status, 200);
    const trip = await request<{ tripId: string }>(sockets.get('passenger')!, 'trip_request', SEED_REQUEST);
    assert.ok(trip.success, JSON.stringify(trip));
    const alert = await request(sockets.get('passenger')!, 'emergency_alert', { location, message: 'Help' });
    assert.ok(alert.success, JSON.stringify(alert));
    assert.equal((await server.api('/api/alerts?status=all')).body.alerts.length, 1);
  });
});
