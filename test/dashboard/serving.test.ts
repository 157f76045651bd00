import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { io } from 'socket.io-client';
import { isSameOrigin } from '../../src/realtime/request-guard.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/** Connects to `/admin` with `origin` as the browser would send it; resolves 'connected' or the refusal. */
function tryAdmin(url: string, token: string, origin: string, transport: 'websocket' | 'polling'): Promise<string> {
  const socket = io(`${url}/admin`, { transports: [transport], reconnection: false, forceNew: true, auth: { token }, extraHeaders: { origin } });
  return new Promise((resolve) => {
    socket.once('connect', () => {
      socket.close();
      resolve('connected');
    });
    socket.once('connect_error', (err) => {
      socket.close();
      resolve(`refused: ${err.message}`);
    });
  });
}

describe('the dashboard is served by the gateway, and its own origin may connect', () => {
  let server: TestServer;
  before(async () => (server = await startServer({ CORS_ORIGINS: 'https://app.example.com', DASHBOARD_TILE_URL: 'none' })));
  after(() => server.close());

  test('GET /dashboard redirects to the page; the page, its modules and the vendored libraries have their content types', async () => {
    const redirect = await fetch(`${server.url}/dashboard`, { redirect: 'manual' });
    assert.equal(redirect.status, 302);
    assert.equal(redirect.headers.get('location'), '/dashboard/');
    const expected: Array<[string, string]> = [
      ['/dashboard/', 'text/html'],
      ['/dashboard/app.js', 'text/javascript'],
      ['/dashboard/style.css', 'text/css'],
      ['/dashboard/vendor/leaflet/leaflet-src.esm.js', 'text/javascript'],
      ['/dashboard/vendor/leaflet/leaflet.css', 'text/css'],
      ['/dashboard/vendor/uplot/uPlot.esm.js', 'text/javascript'],
      ['/dashboard/vendor/socket.io/socket.io.esm.min.js', 'text/javascript'],
    ];
    for (const [path, type] of expected) {
      const res = await fetch(server.url + path);
      assert.equal(res.status, 200, path);
      assert.ok(res.headers.get('content-type')?.startsWith(type), `${path}: ${res.headers.get('content-type')}`);
      await res.arrayBuffer();
    }
    const page = await fetch(`${server.url}/dashboard/`);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.deepEqual(await (await fetch(`${server.url}/dashboard/config.json`)).json(), { tileUrl: '', tileAttribution: '&copy; OpenStreetMap contributors' });
  });

  test('nothing outside the page and vendor directories is served', async () => {
    for (const path of [
      '/dashboard/..%2f..%2fpackage.json', '/dashboard/%2e%2e/%2e%2e/package.json', '/dashboard/vendor/leaflet/..%2f..%2f..%2fpackage.json',
      '/dashboard/vendor/leaflet/../../../../package.json', '/dashboard/vendor/constructor/x.js', '/dashboard/vendor/nope/x.js',
      '/dashboard/..%5c..%5cpackage.json', '/dashboard/app.js%00.css', '/dashboard/missing.js', '/dashboard/README.md',
    ]) {
      const res = await fetch(server.url + path);
      assert.ok(res.status === 404 || res.status === 400, `${path}: ${res.status}`);
      assert.doesNotMatch(await res.text(), /"name": "livegate"/);
    }
  });

  test('an Origin naming the gateway itself connects on both transports; a foreign one is still refused', async () => {
    const token = await server.token('origin-admin', 'admin');
    for (const transport of ['websocket', 'polling'] as const) {
      assert.equal(await tryAdmin(server.url, token, server.url, transport), 'connected', transport);
      assert.equal(await tryAdmin(server.url, token, 'https://app.example.com', transport), 'connected', `listed origin, ${transport}`);
      assert.match(await tryAdmin(server.url, token, 'http://evil.example', transport), /^refused/, `foreign origin, ${transport}`);
      assert.match(await tryAdmin(server.url, token, `http://127.0.0.1:${server.port + 1}`, transport), /^refused/, `another port, ${transport}`);
    }
  });

  test('isSameOrigin compares the whole host, port included', () => {
    assert.equal(isSameOrigin('http://gw.example:3000', 'gw.example:3000'), true);
    assert.equal(isSameOrigin('https://GW.example', 'gw.example'), true);
    assert.equal(isSameOrigin('http://gw.example:3001', 'gw.example:3000'), false);
    assert.equal(isSameOrigin('http://gw.example.evil.com', 'gw.example'), false);
    assert.equal(isSameOrigin('null', 'gw.example'), false);
    assert.equal(isSameOrigin('file://gw.example', 'gw.example'), false);
    assert.equal(isSameOrigin('http://gw.example', undefined), false);
  });
});
