import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.ts';

describe('HTTP API: the account behind a token is checked on every call', () => {
  let server: TestServer;
  before(async () => (server = await startServer()));
  after(() => server.close());

  test('a suspended admin can no longer suspend admins, credit wallets or disconnect everyone: 403 FORBIDDEN', async () => {
    await server.api('/api/users', { body: { id: 'adm-rogue', role: 'admin', name: 'Rogue' } });
    await server.api('/api/users', { body: { id: 'adm-other', role: 'admin', name: 'Other' } });
    await server.api('/api/users', { body: { id: 'p-wallet', role: 'passenger', name: 'W' } });
    const rogue = await server.token('adm-rogue', 'admin');
    assert.equal((await server.api('/api/connections', { token: rogue })).status, 200);

    assert.equal((await server.api('/api/users/adm-rogue', { method: 'PATCH', body: { status: 'suspended', reason: 'Abuse' } })).status, 200);
    const bystander = await server.client('p-bystander', 'passenger');

    const attempts = [
      server.api('/api/users/adm-other', { method: 'PATCH', body: { status: 'suspended', reason: 'Revenge' }, token: rogue }),
      server.api('/api/users/p-wallet/wallet/credits', { body: { amount: 500, reference: 'gift-1' }, token: rogue }),
      server.api('/api/connections/disconnect', { body: { all: true }, token: rogue }),
      server.api('/api/connections', { token: rogue }),
    ];
    for (const res of await Promise.all(attempts)) {
      assert.equal(res.status, 403);
      assert.equal(res.body.error.code, 'FORBIDDEN');
      assert.equal(typeof res.body.error.message, 'string');
    }
    assert.equal((await server.api('/api/users/adm-other')).body.status, 'active');
    assert.equal((await server.api('/api/users/p-wallet/wallet')).body.balance, 0);
    assert.ok(bystander.connected);
  });

  test('reinstating the account restores access; service tokens (no profile) are unaffected', async () => {
    await server.api('/api/users', { body: { id: 'adm-back', role: 'admin', name: 'Back', status: 'suspended' } });
    const token = await server.token('adm-back', 'admin');
    assert.equal((await server.api('/api/connections', { token })).status, 403);
    await server.api('/api/users/adm-back', { method: 'PATCH', body: { status: 'active' } });
    assert.equal((await server.api('/api/connections', { token })).status, 200);
    assert.equal((await server.api('/api/connections', { token: await server.token('svc-backend', 'service') })).status, 200);
  });

  test('a suspended passenger cannot read their own wallet', async () => {
    await server.api('/api/users', { body: { id: 'p-own', role: 'passenger', name: 'Own' } });
    const token = await server.token('p-own', 'passenger');
    assert.equal((await server.api('/api/users/p-own/wallet', { token })).status, 200);
    await server.api('/api/users/p-own', { method: 'PATCH', body: { status: 'suspended', reason: 'Chargebacks' } });
    const res = await server.api('/api/users/p-own/wallet', { token });
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, 'FORBIDDEN');
  });
});
