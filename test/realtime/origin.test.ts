import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { connect, connectError } from '../helpers/client.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

describe('Origin allowlist on both transports', () => {
  let server: TestServer;
  const warnings: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line) as Record<string, unknown>) });
  before(async () => (server = await startServer({ CORS_ORIGINS: 'https://app.example,http://localhost:3000' }, { log })));
  after(() => server.close());

  for (const transport of ['websocket', 'polling'] as const) {
    test(`a ${transport} handshake from a foreign Origin is refused before a session exists`, async () => {
      const token = await server.token('o-1', 'passenger');
      const err = await connectError(server.url, { token, transports: [transport], extraHeaders: { origin: 'https://evil.example' } });
      assert.ok(err);
      assert.equal(server.app.io.of('/').adapter.rooms.has('user:o-1'), false);
      assert.equal(server.app.metrics.snapshot().connections.total, transport === 'websocket' ? 0 : 1);
    });

    test(`a ${transport} handshake from an allowed Origin connects`, async () => {
      const socket = await connect(server.url, { token: await server.token('o-2', 'passenger'), transports: [transport], extraHeaders: { origin: 'https://app.example' } });
      assert.ok(socket.connected);
      socket.close();
    });
  }

  test('the raw polling handshake answers 403 to a foreign Origin and 200 with CORS headers to an allowed one', async () => {
    const path = '/socket.io/?EIO=4&transport=polling';
    const foreign = await fetch(server.url + path, { headers: { origin: 'https://evil.example' } });
    assert.equal(foreign.status, 403);
    // Engine.IO's own error shape (4 = forbidden), with the reason.
    assert.deepEqual(await foreign.json(), { code: 4, message: 'Origin not allowed (CORS_ORIGINS)' });
    assert.ok(warnings.some((w) => w.origin === 'https://evil.example' && w.address === '127.0.0.1' && /origin/i.test(String(w.msg))), 'a warn line names the origin and address');
    const allowed = await fetch(server.url + path, { headers: { origin: 'https://app.example' } });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://app.example');
  });

  test('requests without an Origin (mobile apps, devices) are allowed', async () => {
    const socket = await connect(server.url, { token: await server.token('o-3', 'driver') });
    assert.ok(socket.connected);
    socket.close();
  });
});
