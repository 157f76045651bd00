import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.ts';
import { loadConfig } from '../../src/config/index.ts';
import { connect, connectError, type Client } from '../helpers/client.ts';
import { startServer, TEST_SECRET, type TestServer } from '../helpers/server.ts';

type RefusalData = { code: string; message: string; retryAfterMs?: number };
const TRANSPORTS = ['websocket', 'polling'] as const;

describe('per-address handshake limits: defaults', () => {
  test('AUTH_FAILURES_PER_IP_PER_MIN defaults to 30, CONNECT_ATTEMPTS_PER_IP_PER_MIN to 0 (off)', () => {
    const config = loadConfig({ JWT_SECRET: TEST_SECRET });
    assert.equal(config.limits.authFailuresPerIpPerMin, 30);
    assert.equal(config.limits.connectAttemptsPerIpPerMin, 0);
  });
});

describe('failed handshakes per address (AUTH_FAILURES_PER_IP_PER_MIN)', () => {
  const clock = new ManualClock(Date.now());
  let server: TestServer;
  // The proxy on loopback tells the addresses apart (X-Forwarded-For).
  before(async () => (server = await startServer({ AUTH_FAILURES_PER_IP_PER_MIN: '3', TRUST_PROXY: '127.0.0.1' }, { clock })));
  after(() => server.close());
  const from = (address: string) => ({ extraHeaders: { 'x-forwarded-for': address } });

  test('beyond the limit every handshake from that address is refused with RATE_LIMIT_EXCEEDED, on both transports, until the window passes', async () => {
    clock.set(Date.now());
    for (let i = 0; i < 3; i++) {
      const err = await connectError(server.url, { token: 'not-a-jwt-'.repeat(4), ...from('198.51.100.7') });
      assert.equal(err.data?.code, 'AUTH_FAILED');
    }
    const over = await connectError(server.url, { token: 'not-a-jwt-'.repeat(4), ...from('198.51.100.7') });
    assert.equal(over.data?.code, 'RATE_LIMIT_EXCEEDED');
    // A good token from the same address is refused too: a lucky guess looks like any other.
    const good = await server.token('hl-good', 'passenger');
    for (const transport of TRANSPORTS) {
      const err = await connectError(server.url, { token: good, transports: [transport], ...from('198.51.100.7') });
      const data = err.data as RefusalData | undefined;
      assert.equal(data?.code, 'RATE_LIMIT_EXCEEDED', transport);
      assert.ok(Number(data?.retryAfterMs) > 0 && Number(data?.retryAfterMs) <= 60_000, transport);
    }
    // Other addresses are not affected.
    const other = await connect(server.url, { token: good, ...from('198.51.100.8') });
    other.close();
    // The window passes.
    clock.advance(61_000);
    const back = await connect(server.url, { token: good, ...from('198.51.100.7') });
    back.close();
  });

  test('suspended accounts and missing tokens are not counted as failures', async () => {
    clock.set(Date.now());
    await server.api('/api/users', { body: { id: 'hl-susp', role: 'passenger', name: 'S', status: 'suspended' } });
    const suspended = await server.token('hl-susp', 'passenger');
    for (let i = 0; i < 5; i++) assert.equal((await connectError(server.url, { token: suspended, ...from('198.51.100.20') })).data?.code, 'FORBIDDEN');
    for (let i = 0; i < 5; i++) assert.equal((await connectError(server.url, from('198.51.100.20'))).data?.code, 'AUTH_FAILED');
    const socket = await connect(server.url, { token: await server.token('hl-ok', 'driver'), ...from('198.51.100.20') });
    socket.close();
  });
});

describe('all handshakes per address (CONNECT_ATTEMPTS_PER_IP_PER_MIN)', () => {
  let server: TestServer;
  before(async () => (server = await startServer({ CONNECT_ATTEMPTS_PER_IP_PER_MIN: '2', TRUST_PROXY: '127.0.0.1' })));
  after(() => server.close());

  for (const [i, transport] of TRANSPORTS.entries()) {
    test(`a ${transport} client over the limit gets connect_error RATE_LIMIT_EXCEEDED with retryAfterMs, not a transport error`, async () => {
      const address = `192.0.2.${10 + i}`;
      const opts = { transports: [transport], extraHeaders: { 'x-forwarded-for': address } };
      const token = await server.token(`hl-conn-${transport}`, 'passenger');
      const sockets: Client[] = [];
      for (let n = 0; n < 2; n++) sockets.push(await connect(server.url, { token, ...opts }));
      const err = await connectError(server.url, { token, ...opts });
      const data = err.data as RefusalData | undefined;
      assert.equal(err.message, 'Too many connection attempts from this address');
      assert.equal(data?.code, 'RATE_LIMIT_EXCEEDED');
      assert.ok(Number(data?.retryAfterMs) > 0);
      for (const s of sockets) s.close();
    });
  }
});
