import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../src/storage/index.ts';
import { openPglite } from '../../src/storage/pglite.ts';
import { next, request } from '../helpers/client.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { closeAll, unconnected } from './fixtures.ts';

/**
 * The real PGlite database; a profile read for `held.userId` runs at once but
 * its answer is held back until `release()` — a handshake that read the
 * account just before an admin suspended it.
 */
async function holdingDatabase() {
  const inner = await openPglite('memory');
  const held = { userId: '', started: () => undefined as void, release: () => undefined as void };
  const db: Database = {
    ...inner,
    async query(sql, params) {
      const result = await inner.query(sql, params);
      if (held.userId && /^SELECT \* FROM users WHERE id = \$1/.test(sql) && params?.[0] === held.userId) {
        held.userId = '';
        held.started();
        await new Promise<void>((resolve) => (held.release = resolve));
      }
      return result as never;
    },
  };
  return { db, held };
}

describe('user events (seed 000): user_status_changed, then the suspension disconnects', () => {
  let server: TestServer;
  let holding: Awaited<ReturnType<typeof holdingDatabase>>;
  before(async () => {
    holding = await holdingDatabase();
    server = await startServer({}, { db: holding.db });
  });
  after(async () => {
    closeAll();
    await server.close();
    await holding.db.close();
  });

  test('the seed flow: the user sees user_status_changed { userId, status, reason, timestamp } before being disconnected; profile_updated reaches the other sockets and admins', async () => {
    await server.api('/api/users', { body: { id: 'ue-1', role: 'passenger', name: 'Sara' } });
    const phone = await server.client('ue-1', 'passenger');
    const tablet = await server.client('ue-1', 'passenger');
    const admin = await server.client('ue-admin', 'admin');
    const forwarded = [next(tablet, 'profile_updated'), next(admin, 'profile_updated')];
    assert.deepEqual(await request(phone, 'profile_updated', { userId: 'ue-1', changes: ['name', 'phone'] }), { success: true, data: { userId: 'ue-1' } });
    for (const p of await Promise.all(forwarded)) assert.deepEqual({ ...p, timestamp: 't' }, { userId: 'ue-1', changes: ['name', 'phone'], timestamp: 't' });

    const order: string[] = [];
    phone.on('user_status_changed', (p) => order.push(`user_status_changed:${p.status}:${p.reason}`));
    phone.once('disconnect', (reason) => order.push(`disconnect:${reason}`));
    assert.equal((await server.api('/api/users/ue-1', { method: 'PATCH', body: { status: 'suspended', reason: 'Account under review' } })).status, 200);
    await eventually(() => assert.deepEqual(order, ['user_status_changed:suspended:Account under review', 'disconnect:io server disconnect']));
  });

  test('a connection whose account check ran just before the suspension is still told and disconnected (the handshake-to-join window)', async () => {
    await server.api('/api/users', { body: { id: 'ue-race', role: 'driver', name: 'Rami' } });
    const readStarted = new Promise<void>((resolve) => {
      holding.held.started = resolve;
      holding.held.userId = 'ue-race';
    });
    const socket = await unconnected(server, 'ue-race', 'driver');
    const order: string[] = [];
    socket.on('authenticated', () => order.push('authenticated'));
    socket.on('user_status_changed', (p) => order.push(`user_status_changed:${p.status}`));
    socket.once('disconnect', (reason) => order.push(`disconnect:${reason}`));
    socket.connect();
    await readStarted; // the handshake has read the account as active; its answer is held
    assert.equal((await server.api('/api/users/ue-race', { method: 'PATCH', body: { status: 'suspended', reason: 'Fraud' } })).status, 200);
    holding.held.release(); // the handshake goes on with the stale answer and joins `user:ue-race` after the disconnect went out
    await eventually(() => assert.deepEqual(order, ['authenticated', 'user_status_changed:suspended', 'disconnect:io server disconnect']));
  });
});
