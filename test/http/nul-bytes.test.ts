import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.ts';

/**
 * PostgreSQL (and PGlite) refuse U+0000 in text and jsonb. A string carrying
 * it must be answered 400 VALIDATION_ERROR at the edge, never reach storage
 * as a 500/503. Every row puts a NUL into one string field of an otherwise
 * valid request; `field` is where the answer must say the problem is.
 */
const NUL = '\u0000';
const tripId = randomUUID();
const vehicle = { make: 'Toyota', model: 'Prius', year: 2021, color: 'white', plateNumber: 'AB-123', type: 'hybrid' };
const location = { latitude: 15.5, longitude: 32.5, address: 'Khartoum' };
const notification = { title: 'Hello', message: 'World', data: { tripId: 'x' }, actions: [{ label: 'Open', action: 'open', data: { k: 'v' } }] };

interface Route { method: string; path: string; body?: Record<string, unknown>; fields: string[] }
const bodies: Route[] = [
  { method: 'POST', path: '/api/users', body: { id: 'nul-u1', role: 'driver', name: 'Dana', vehicle }, fields: ['id', 'name', 'vehicle.make', 'vehicle.model', 'vehicle.color', 'vehicle.plateNumber', 'vehicle.type'] },
  { method: 'PATCH', path: '/api/users/nul-user', body: { name: 'Dana', reason: 'because' }, fields: ['name', 'reason'] },
  { method: 'POST', path: '/api/users/nul-user/wallet/credits', body: { amount: 10, reference: 'top-up-1' }, fields: ['reference'] },
  { method: 'POST', path: '/api/notifications', body: { userId: 'nul-user', notification, dedupeKey: 'k1' }, fields: ['userId', 'dedupeKey', 'notification.title', 'notification.message', 'notification.actions.0.label', 'notification.actions.0.action'] },
  { method: 'POST', path: '/api/notifications', body: { userIds: ['nul-user'], notification }, fields: ['userIds.0'] },
  { method: 'POST', path: '/api/alerts', body: { userId: 'nul-user', vehicleId: 'nul-v', severity: 'high', title: 'Crash', message: 'Airbag fired', location }, fields: ['userId', 'vehicleId', 'title', 'message', 'location.address'] },
  { method: 'POST', path: `/api/trips/${tripId}/cancel`, body: { reason: 'changed my mind' }, fields: ['reason'] },
  { method: 'POST', path: '/api/vehicles', body: { id: 'nul-v1', plateNumber: 'XY-1', type: 'sedan', driverId: 'nul-d' }, fields: ['id', 'plateNumber', 'type', 'driverId'] },
  { method: 'PATCH', path: '/api/vehicles/nul-v', body: { plateNumber: 'XY-2', type: 'van', driverId: 'nul-d' }, fields: ['plateNumber', 'type', 'driverId'] },
  { method: 'POST', path: '/api/geofences', body: { name: 'Depot', circle: { center: { latitude: 15.5, longitude: 32.5 }, radiusM: 100 } }, fields: ['name'] },
  { method: 'POST', path: '/api/connections/disconnect', body: { userId: 'nul-user' }, fields: ['userId'] },
  { method: 'POST', path: '/api/connections/disconnect', body: { socketId: 'abc' }, fields: ['socketId'] },
];

/** Path parameters and query strings, percent-encoded as a client sends them. */
const urls: { method: string; path: string; body?: unknown; field: string }[] = [
  { method: 'GET', path: '/api/users/%00', field: 'params.id' },
  { method: 'GET', path: '/api/users/a%00b', field: 'params.id' },
  { method: 'PATCH', path: '/api/users/%00', body: { name: 'X' }, field: 'params.id' },
  { method: 'GET', path: '/api/users/%00/wallet', field: 'params.id' },
  { method: 'POST', path: '/api/users/%00/wallet/credits', body: { amount: 1, reference: 'r' }, field: 'params.id' },
  { method: 'GET', path: '/api/vehicles/%00', field: 'params.id' },
  { method: 'PATCH', path: '/api/vehicles/%00', body: { type: 'van' }, field: 'params.id' },
  { method: 'POST', path: '/api/vehicles/%00/telemetry', body: { fuelLevel: 50 }, field: 'params.id' },
  { method: 'GET', path: '/api/vehicles/%00/history', field: 'params.id' },
  { method: 'GET', path: '/api/drivers/%00/history', field: 'params.id' },
  { method: 'GET', path: '/api/connections?userId=%00', field: 'querystring.userId' },
];

function withNulAt(body: Record<string, unknown>, path: string): Record<string, unknown> {
  const copy = structuredClone(body);
  const keys = path.split('.');
  let node: Record<string, unknown> = copy;
  for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>;
  const last = keys.at(-1)!;
  node[last] = `${String(node[last])}${NUL}x`;
  return copy;
}

describe('NUL bytes in HTTP requests: 400 VALIDATION_ERROR, never a storage error', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
    assert.equal((await server.api('/api/users', { body: { id: 'nul-user', role: 'passenger', name: 'N' } })).status, 200);
    assert.equal((await server.api('/api/vehicles', { body: { id: 'nul-v', plateNumber: 'NUL-1' } })).status, 201);
  });
  after(() => server.close());

  test('every string field of every body', async () => {
    const failures: string[] = [];
    for (const route of bodies) {
      for (const field of route.fields) {
        const res = await server.api(route.path, { method: route.method, body: withNulAt(route.body!, field) });
        if (res.status !== 400 || res.body.error?.code !== 'VALIDATION_ERROR' || res.body.error?.details?.field !== field) {
          failures.push(`${route.method} ${route.path} ${field}: ${res.status} ${JSON.stringify(res.body)}`);
        }
      }
    }
    assert.deepEqual(failures, []);
  });

  test('path parameters and query strings', async () => {
    const failures: string[] = [];
    for (const u of urls) {
      const res = await server.api(u.path, { method: u.method, body: u.body });
      if (res.status !== 400 || res.body.error?.code !== 'VALIDATION_ERROR' || res.body.error?.details?.field !== u.field) {
        failures.push(`${u.method} ${u.path}: ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    assert.deepEqual(failures, []);
  });

  test('free-form notification data: a NUL in a key or in a nested value', async () => {
    for (const data of [{ [`a${NUL}`]: 1 }, { a: `x${NUL}` }, { a: { b: [1, `y${NUL}`] } }]) {
      const res = await server.api('/api/notifications', { body: { userId: 'nul-user', notification: { ...notification, data } } });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.error.code, 'VALIDATION_ERROR');
      assert.match(res.body.error.details.field, /^notification\.data/);
    }
    const action = await server.api('/api/notifications', { body: { userId: 'nul-user', notification: { ...notification, actions: [{ label: 'L', action: 'a', data: { k: NUL } }] } } });
    assert.equal(action.status, 400, JSON.stringify(action.body));
  });

  test('nothing was stored, and the server is healthy afterwards', async () => {
    assert.equal((await server.api('/readyz', { token: null })).status, 200);
    assert.equal((await server.api('/api/users/nul-u1')).status, 404);
    assert.equal((await server.api('/api/vehicles/nul-v1')).status, 404);
    assert.deepEqual((await server.api('/api/alerts?status=all')).body.alerts, []);
    const wallet = await server.api('/api/users/nul-user/wallet');
    assert.equal(wallet.status, 200);
    assert.deepEqual(wallet.body.entries, []);
    // The same requests without the NUL still work.
    assert.equal((await server.api('/api/users', { body: bodies[0]!.body })).status, 200);
    assert.equal((await server.api('/api/users/nul-user/wallet/credits', { body: { amount: 10, reference: 'top-up-1' } })).status, 200);
    assert.equal((await server.api('/api/notifications', { body: { userId: 'nul-user', notification } })).status, 201);
  });
});
