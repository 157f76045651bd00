import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connectError, next, request, type Client } from '../helpers/client.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

const vehicle = { make: 'Toyota', model: 'Prius', year: 2021, color: 'white', plateNumber: 'AB-123', type: 'hybrid' };

/** Resolves with the disconnect reason, and the order of `user_status_changed` and `disconnect` as seen by the client. */
function watchStatusAndDisconnect(socket: Client) {
  const order: string[] = [];
  socket.on('user_status_changed', () => order.push('user_status_changed'));
  const reason = new Promise<string>((resolve) => socket.once('disconnect', (r) => (order.push('disconnect'), resolve(r))));
  return { order, reason };
}

describe('HTTP API: users', () => {
  let server: TestServer;
  before(async () => (server = await startServer()));
  after(() => server.close());

  describe('authorisation', () => {
    test('no token is refused with 401 AUTH_FAILED', async () => {
      const res = await server.api('/api/users/anyone', { token: null });
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'AUTH_FAILED');
      assert.equal(typeof res.body.error.message, 'string');
    });

    test('a malformed Authorization header or a bad token is refused with 401', async () => {
      for (const authorization of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer not-a-jwt']) {
        const res = await server.api('/api/users/anyone', { token: null, headers: { authorization } });
        assert.equal(res.status, 401, authorization);
        assert.equal(res.body.error.code, 'AUTH_FAILED');
      }
    });

    test('passenger and driver tokens are refused with 403 FORBIDDEN', async () => {
      for (const role of ['passenger', 'driver'] as const) {
        const res = await server.api('/api/users', { token: await server.token(`x-${role}`, role), body: { id: 'x-1', role: 'passenger', name: 'X' } });
        assert.equal(res.status, 403, role);
        assert.equal(res.body.error.code, 'FORBIDDEN');
      }
      assert.equal((await server.api('/api/users/x-1')).status, 404, 'nothing was written by the refused requests');
    });

    test('service and admin tokens are accepted', async () => {
      await server.api('/api/users', { body: { id: 'auth-ok', role: 'passenger', name: 'A' } });
      for (const role of ['service', 'admin'] as const) {
        const res = await server.api('/api/users/auth-ok', { token: await server.token(`ok-${role}`, role) });
        assert.equal(res.status, 200, role);
        assert.equal(res.body.id, 'auth-ok');
      }
    });
  });

  describe('profiles', () => {
    test('POST upserts a profile and GET returns it with vehicle and rating', async () => {
      const created = await server.api('/api/users', { body: { id: 'd-prof', role: 'driver', name: 'Dana', phone: '+44 20 7946 0000', rating: 4.8, vehicle } });
      assert.equal(created.status, 200);
      const res = await server.api('/api/users/d-prof');
      assert.equal(res.status, 200);
      assert.deepEqual(
        { id: res.body.id, role: res.body.role, name: res.body.name, phone: res.body.phone, rating: res.body.rating, status: res.body.status, vehicle: res.body.vehicle },
        { id: 'd-prof', role: 'driver', name: 'Dana', phone: '+44 20 7946 0000', rating: 4.8, status: 'active', vehicle },
      );
      assert.ok(!Number.isNaN(Date.parse(res.body.createdAt)), `createdAt ${res.body.createdAt}`);

      const updated = await server.api('/api/users', { body: { id: 'd-prof', role: 'driver', name: 'Dana B.', rating: 4.9 } });
      assert.equal(updated.status, 200);
      const again = await server.api('/api/users/d-prof');
      assert.equal(again.body.name, 'Dana B.');
      assert.equal(again.body.rating, 4.9);
      assert.deepEqual(again.body.vehicle, vehicle, 'an upsert without vehicle keeps the stored one');
    });

    test('GET of an unknown user is 404 NOT_FOUND', async () => {
      const res = await server.api('/api/users/nobody-here');
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, 'NOT_FOUND');
    });

    test('PATCH of an unknown user is 404 NOT_FOUND', async () => {
      const res = await server.api('/api/users/nobody-here', { method: 'PATCH', body: { name: 'X' } });
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, 'NOT_FOUND');
    });

    const invalid: Array<[string, string, string, unknown]> = [
      ['POST', '/api/users', 'id', { role: 'passenger', name: 'No id' }],
      ['POST', '/api/users', 'role', { id: 'v-1', role: 'root', name: 'X' }],
      ['POST', '/api/users', 'name', { id: 'v-1', role: 'passenger', name: '   ' }],
      ['POST', '/api/users', 'rating', { id: 'v-1', role: 'passenger', name: 'X', rating: 7 }],
      ['POST', '/api/users', 'phone', { id: 'v-1', role: 'passenger', name: 'X', phone: 'call me' }],
      ['POST', '/api/users', 'vehicle.year', { id: 'v-1', role: 'driver', name: 'X', vehicle: { ...vehicle, year: 1800 } }],
      ['PATCH', '/api/users/v-1', 'status', { status: 'banned' }],
    ];
    for (const [method, path, field, body] of invalid) {
      test(`${method} ${path} with a bad ${field} is 400 VALIDATION_ERROR naming the field`, async () => {
        const res = await server.api(path, { method, body });
        assert.equal(res.status, 400);
        assert.equal(res.body.error.code, 'VALIDATION_ERROR');
        assert.equal(res.body.error.details?.field, field);
      });
    }

    test('a body that is not JSON is 400 VALIDATION_ERROR', async () => {
      const res = await server.api('/api/users', { body: '{"id": "broken",' });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'VALIDATION_ERROR');
    });

    test('unknown body keys are dropped, not stored', async () => {
      const res = await server.api('/api/users', { body: { id: 'extra-keys', role: 'passenger', name: 'E', isAdmin: true, statusReason: 'sneaky', created_at: '1970-01-01T00:00:00Z' } });
      assert.equal(res.status, 200);
      const stored = await server.api('/api/users/extra-keys');
      assert.equal('isAdmin' in stored.body, false);
      assert.equal(stored.body.statusReason, null);
      assert.notEqual(stored.body.createdAt, '1970-01-01T00:00:00.000Z');
    });

    test('a __proto__ key changes nothing: no prototype pollution, nothing stored', async () => {
      const polluting = '{"id":"proto-1","role":"passenger","name":"P","__proto__":{"polluted":true,"role":"admin"}}';
      const res = await server.api('/api/users', { body: polluting });
      assert.ok(res.status === 200 || res.status === 400, `status ${res.status}`);
      const patched = await server.api('/api/users/proto-1', { method: 'PATCH', body: '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}' });
      assert.ok([200, 400, 404].includes(patched.status), `status ${patched.status}`);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
      const stored = await server.api('/api/users/proto-1');
      if (stored.status === 200) {
        assert.equal(stored.body.role, 'passenger');
        assert.equal(Object.prototype.hasOwnProperty.call(stored.body, 'polluted'), false);
        assert.equal(Object.prototype.hasOwnProperty.call(stored.body, '__proto__'), false);
      } else {
        assert.equal(stored.status, 404);
      }
    });

    test('a body over 1 MiB is 413 PAYLOAD_TOO_LARGE', async () => {
      const res = await server.api('/api/users', { body: { id: 'big', role: 'passenger', name: 'B', padding: 'x'.repeat(1024 * 1024 + 1) } });
      assert.equal(res.status, 413);
      assert.equal(res.body.error.code, 'PAYLOAD_TOO_LARGE');
      assert.equal((await server.api('/api/users/big')).status, 404);
    });

    test('an id of the full 128 characters can be read back; a longer one is 400, not a router 414', async () => {
      const longId = 'u'.repeat(128);
      assert.equal((await server.api('/api/users', { body: { id: longId, role: 'passenger', name: 'Long' } })).status, 200);
      assert.equal((await server.api(`/api/users/${longId}`)).body.id, longId);
      const tooLong = await server.api(`/api/users/${'u'.repeat(300)}`);
      assert.equal(tooLong.status, 400);
      assert.equal(tooLong.body.error.code, 'VALIDATION_ERROR');
    });

    test('a badly encoded URL is 400 in the { error } shape', async () => {
      const res = await server.api('/api/users/%E0%A4%A');
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'VALIDATION_ERROR');
    });

    test('an unknown route is 404 NOT_FOUND as JSON', async () => {
      for (const [method, path] of [['GET', '/api/nothing-here'], ['DELETE', '/api/users/x'], ['GET', '/no/such/page?x=1']] as const) {
        const res = await server.api(path, { method });
        assert.equal(res.status, 404, `${method} ${path}`);
        assert.equal(res.body.error.code, 'NOT_FOUND');
        assert.equal(typeof res.body.error.message, 'string');
      }
    });
  });

  describe('status changes reach the user', () => {
    test('suspension: the user gets user_status_changed, then is disconnected; admins are told; reconnecting is refused until reactivated', async () => {
      await server.api('/api/users', { body: { id: 'p-susp', role: 'passenger', name: 'Sue' } });
      const user = await server.client('p-susp', 'passenger');
      const admin = await server.client('admin-watch', 'admin');
      const watched = watchStatusAndDisconnect(user);
      const toUser = next(user, 'user_status_changed');
      const toAdmin = next(admin, 'user_status_changed');
      // Keep an early failure below from leaving these as unhandled rejections.
      for (const p of [toUser, toAdmin, watched.reason]) p.catch(() => undefined);

      const res = await server.api('/api/users/p-susp', { method: 'PATCH', body: { status: 'suspended', reason: 'Fraud review' } });
      assert.equal(res.status, 200);
      assert.equal(res.body.status, 'suspended');
      assert.equal(res.body.statusReason, 'Fraud review');

      const event = await toUser;
      assert.equal(event.userId, 'p-susp');
      assert.equal(event.status, 'suspended');
      assert.equal(event.reason, 'Fraud review');
      assert.ok(!Number.isNaN(Date.parse(event.timestamp)), `timestamp ${event.timestamp}`);
      assert.deepEqual(await toAdmin, event);
      assert.equal(await watched.reason, 'io server disconnect');
      assert.deepEqual(watched.order, ['user_status_changed', 'disconnect']);
      assert.ok(admin.connected, 'the admin stays connected');
      await eventually(async () => assert.equal((await server.api('/api/connections?userId=p-susp')).body.count, 0));

      const refused = await connectError(server.url, { token: await server.token('p-susp', 'passenger') });
      assert.equal(refused.data?.code, 'FORBIDDEN');

      const reactivated = next(admin, 'user_status_changed');
      const back = await server.api('/api/users/p-susp', { method: 'PATCH', body: { status: 'active' } });
      assert.equal(back.status, 200);
      assert.equal(back.body.status, 'active');
      assert.equal((await reactivated).status, 'active');
      const again = await server.client('p-susp', 'passenger');
      assert.ok(again.connected, 'reactivated user connects');
    });

    test('a PATCH of a profile field emits profile_updated to the user and does not disconnect', async () => {
      await server.api('/api/users', { body: { id: 'd-patch', role: 'driver', name: 'Pat' } });
      const user = await server.client('d-patch', 'driver');
      const updated = next(user, 'profile_updated');
      updated.catch(() => undefined);
      const res = await server.api('/api/users/d-patch', { method: 'PATCH', body: { name: 'Patricia', vehicle } });
      assert.equal(res.status, 200);
      const event = await updated;
      assert.equal(event.userId, 'd-patch');
      assert.deepEqual([...event.changes].sort(), ['name', 'vehicle']);
      assert.ok(user.connected, 'the user stays connected');
      assert.equal((await server.api('/api/users/d-patch')).body.name, 'Patricia');
    });

    test('a profile first created as suspended disconnects the sockets the user already holds', async () => {
      const user = await server.client('p-new-susp', 'passenger');
      const watched = watchStatusAndDisconnect(user);
      const status = next(user, 'user_status_changed');
      for (const p of [status, watched.reason]) p.catch(() => undefined);
      const res = await server.api('/api/users', { body: { id: 'p-new-susp', role: 'passenger', name: 'New', status: 'suspended' } });
      assert.equal(res.status, 200);
      assert.equal((await status).status, 'suspended');
      assert.equal(await watched.reason, 'io server disconnect');
      assert.deepEqual(watched.order, ['user_status_changed', 'disconnect']);
    });

    test('a PATCH that repeats the current status emits no user_status_changed', async () => {
      await server.api('/api/users', { body: { id: 'p-same', role: 'passenger', name: 'Sam' } });
      const user = await server.client('p-same', 'passenger');
      const seen: unknown[] = [];
      user.on('user_status_changed', (p) => seen.push(p));
      const profile = next(user, 'profile_updated');
      profile.catch(() => undefined);
      await server.api('/api/users/p-same', { method: 'PATCH', body: { status: 'active', name: 'Samuel' } });
      await profile;
      await request(user, 'ping'); // anything emitted with the profile event arrives before this answer
      assert.deepEqual(seen, []);
      assert.ok(user.connected, 'the user stays connected');
    });
  });
});
