import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.ts';

const REMOTE = '203.0.113.50';

describe('GET /metrics access', () => {
  let server: TestServer;
  before(async () => (server = await startServer({ TRUST_PROXY: '127.0.0.1' })));
  after(() => server.close());

  test('a scrape from loopback (the real peer) needs no token', async () => {
    const res = await fetch(`${server.url}/metrics`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /livegate_/);
    // The JSON snapshots stay staff-only.
    assert.equal((await fetch(`${server.url}/api/metrics`)).status, 401);
  });

  test('a request forwarded by a proxy on loopback needs a token, whatever X-Forwarded-For says', async () => {
    for (const forwarded of [REMOTE, '127.0.0.1']) {
      const res = await server.api('/metrics', { token: null, headers: { 'x-forwarded-for': forwarded } });
      assert.equal(res.status, 401, forwarded);
    }
  });

  test('from another machine: 401 without a token, 200 with a service token', async () => {
    const anonymous = await server.app.http.inject({ method: 'GET', url: '/metrics', remoteAddress: REMOTE });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(anonymous.json().error.code, 'AUTH_FAILED');
    const scraper = await server.token('prometheus', 'service', { ttl: '365d' });
    const res = await server.app.http.inject({ method: 'GET', url: '/metrics', remoteAddress: REMOTE, headers: { authorization: `Bearer ${scraper}` } });
    assert.equal(res.statusCode, 200);
  });
});

describe('GET /metrics with METRICS_PUBLIC=true', () => {
  let server: TestServer;
  before(async () => (server = await startServer({ METRICS_PUBLIC: 'true' })));
  after(() => server.close());

  test('anyone may scrape; the other routes still need a token', async () => {
    const res = await server.app.http.inject({ method: 'GET', url: '/metrics', remoteAddress: REMOTE });
    assert.equal(res.statusCode, 200);
    assert.equal((await server.app.http.inject({ method: 'GET', url: '/api/metrics', remoteAddress: REMOTE })).statusCode, 401);
  });
});
