import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { io } from 'socket.io-client';
import { loadConfig, type ConfigError } from '../../src/config/index.ts';
import { clientAddress, proxyTrust } from '../../src/core/client-address.ts';
import { createHttpServer, type HttpApp } from '../../src/http/server.ts';
import { Metrics } from '../../src/observability/metrics.ts';
import { connect, request, type Client } from '../helpers/client.ts';
import { startServer, TEST_SECRET, type TestServer } from '../helpers/server.ts';

/** An anonymous socket through a proxy that forwards for `address` (the helper waits for `authenticated`, which anonymous sockets never get). */
function anonymousFrom(url: string, address: string): Promise<Client> {
  const socket: Client = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { 'x-forwarded-for': address } });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

describe('client address behind proxies', () => {
  const trusted = proxyTrust(['127.0.0.1', '10.0.0.0/8', 'fd00::/8']);

  test('the rightmost hop that is not a trusted proxy, walking left from the socket peer; never the leftmost', () => {
    assert.equal(clientAddress('127.0.0.1', '1.1.1.1, 203.0.113.5', trusted), '203.0.113.5');
    assert.equal(clientAddress('127.0.0.1', '1.1.1.1, 203.0.113.5, 10.1.2.3', trusted), '203.0.113.5');
    assert.equal(clientAddress('::ffff:10.9.9.9', ['1.1.1.1', '2001:db8::7, fd00::1'], trusted), '2001:db8::7');
    // An untrusted peer's header is ignored.
    assert.equal(clientAddress('198.51.100.1', '1.1.1.1', trusted), '198.51.100.1');
    // Garbage from a trusted proxy: the proxy is the client address.
    assert.equal(clientAddress('127.0.0.1', 'unknown', trusted), '127.0.0.1');
    assert.equal(clientAddress('::ffff:127.0.0.1', undefined, trusted), '127.0.0.1');
    assert.equal(clientAddress('127.0.0.1', '203.0.113.5', proxyTrust([])), '127.0.0.1');
  });

  test('TRUST_PROXY: addresses and CIDRs (IPv4, IPv6); true = loopback only; anything else stops the start', () => {
    const base = { JWT_SECRET: TEST_SECRET };
    assert.deepEqual(loadConfig(base).http.trustProxy, []);
    assert.deepEqual(loadConfig({ ...base, TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,fd00::/8' }).http.trustProxy, ['127.0.0.1', '10.0.0.0/8', 'fd00::/8']);
    assert.deepEqual(loadConfig({ ...base, TRUST_PROXY: 'true' }).http.trustProxy, ['127.0.0.0/8', '::1']);
    assert.deepEqual(loadConfig({ ...base, TRUST_PROXY: 'false' }).http.trustProxy, []);
    assert.throws(() => loadConfig({ ...base, TRUST_PROXY: '10.0.0.0/33,proxy.internal' }), (err: ConfigError) => {
      assert.equal(err.problems.filter((p) => p.startsWith('TRUST_PROXY')).length, 2);
      return true;
    });
  });

  describe('HTTP (Fastify request.ip)', () => {
    let http: HttpApp;
    let url: string;
    before(async () => {
      http = await createHttpServer({ log: pino({ level: 'silent' }), metrics: new Metrics(), trustProxy: ['127.0.0.1'], bodyLimit: 1024 });
      http.get('/ip', async (req) => ({ ip: req.ip }));
      await http.listen({ port: 0, host: '127.0.0.1' });
      url = `http://127.0.0.1:${(http.server.address() as AddressInfo).port}`;
    });
    after(() => http.close());

    test('is the rightmost untrusted hop, not the leftmost', async () => {
      const res = await fetch(`${url}/ip`, { headers: { 'x-forwarded-for': '1.1.1.1, 203.0.113.5' } });
      assert.deepEqual(await res.json(), { ip: '203.0.113.5' });
    });
  });

  describe('sockets', () => {
    let server: TestServer;
    before(async () => (server = await startServer({ TRUST_PROXY: '127.0.0.1', ALLOW_ANONYMOUS: 'true', RATE_LIMIT_DEFAULT: '2/60' })));
    after(() => server.close());

    test('the handshake keeps the derived address in socket.data', async () => {
      const socket = await connect(server.url, { token: await server.token('ca-1', 'passenger'), extraHeaders: { 'x-forwarded-for': '9.9.9.9, 203.0.113.77' } });
      const [remote] = await server.app.io.in('user:ca-1').fetchSockets();
      assert.equal(remote?.data.address, '203.0.113.77');
      socket.close();
    });

    test('anonymous sockets are rate-limited per client address, not per proxy', async () => {
      const a = await anonymousFrom(server.url, '203.0.113.1');
      const b = await anonymousFrom(server.url, '203.0.113.2');
      assert.deepEqual([(await request(a, 'ping')).success, (await request(a, 'ping')).success, (await request(a, 'ping')).success], [true, true, false]);
      assert.equal((await request(b, 'ping')).success, true);
      a.close();
      b.close();
    });
  });
});
