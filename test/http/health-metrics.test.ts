import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { next, request } from '../helpers/client.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/** The value of one Prometheus sample line (`name{labels} value`), or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('HTTP API: health and metrics', () => {
  let server: TestServer;
  before(async () => (server = await startServer()));
  after(() => server.close());

  test('/healthz is public and answers 200 { status: ok }', async () => {
    const res = await server.api('/healthz', { token: null });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { status: 'ok' });
  });

  test('/readyz is public and answers 200 { status: ready } with the storage check up', async () => {
    const res = await server.api('/readyz', { token: null });
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'ready');
    assert.equal(res.body.checks.database, 'up');
  });

  test('/api/health, /api/metrics and /metrics need an admin or service token', async () => {
    const passenger = await server.token('p-health', 'passenger');
    // Forwarded: not a scrape from this machine, which /metrics would let through (metrics-access.test.ts).
    const headers = { 'x-forwarded-for': '203.0.113.9' };
    for (const path of ['/api/health', '/api/metrics', '/metrics']) {
      const anonymous = await server.api(path, { token: null, headers });
      assert.equal(anonymous.status, 401, path);
      assert.equal(anonymous.body.error.code, 'AUTH_FAILED', path);
      assert.equal((await server.api(path, { token: passenger, headers })).status, 403, path);
      assert.equal((await server.api(path, { token: await server.token('svc-health', 'service'), headers })).status, 200, path);
    }
  });

  test('/api/health has the seed 004 shape: status, connections, errorRate, averageLatency', async () => {
    const socket = await server.client('p-health-1', 'passenger');
    await request(socket, 'ping');
    const res = await server.api('/api/health');
    assert.equal(res.status, 200);
    assert.ok(['healthy', 'degraded'].includes(res.body.status), res.body.status);
    assert.ok(res.body.connections >= 1, `connections ${res.body.connections}`);
    for (const key of ['connections', 'errorRate', 'averageLatency'] as const) assert.equal(typeof res.body[key], 'number', key);
    assert.ok(res.body.errorRate >= 0, `errorRate ${res.body.errorRate}`);
    assert.ok(res.body.averageLatency > 0, 'a handled ping has a latency');
    socket.close();
  });

  // Refused HTTP requests are counted apart from socket errors: the seed 004 error rate is per socket event.
  test('/api/health errorRate stays a percentage when HTTP requests are refused', async () => {
    for (let i = 0; i < 3; i++) await server.api('/api/health', { token: null });
    const res = await server.api('/api/health');
    assert.ok(res.body.errorRate <= 100, `errorRate ${res.body.errorRate}`);
    assert.equal(res.body.status, 'healthy', 'anonymous 401s do not make the gateway degraded');
  });

  test('/api/metrics has the seed 004 shape and reflects a connected client and sent events', async () => {
    const before = (await server.api('/api/metrics')).body;
    for (const [group, keys] of [['connections', ['current', 'total', 'peak']], ['events', ['sent', 'received', 'errors']], ['performance', ['averageLatency', 'messageSize', 'compressionRatio']]] as const) {
      for (const key of keys) assert.equal(typeof before[group][key], 'number', `${group}.${key}`);
    }

    await server.api('/api/users', { body: { id: 'd-metrics', role: 'driver', name: 'M' } });
    const socket = await server.client('d-metrics', 'driver');
    await request(socket, 'ping');
    const updated = next(socket, 'profile_updated');
    await server.api('/api/users/d-metrics', { method: 'PATCH', body: { name: 'Metric' } });
    await updated;

    const after = (await server.api('/api/metrics')).body;
    assert.equal(after.connections.current, before.connections.current + 1);
    assert.equal(after.connections.total, before.connections.total + 1);
    assert.ok(after.connections.peak >= after.connections.current, 'peak >= current');
    assert.ok(after.events.received >= before.events.received + 1, 'the ping was counted');
    assert.ok(after.events.sent >= before.events.sent + 1, 'profile_updated was counted');

    socket.close();
    await eventually(async () => assert.equal((await server.api('/api/metrics')).body.connections.current, before.connections.current));
    assert.ok((await server.api('/api/metrics')).body.connections.peak >= after.connections.current, 'peak keeps the high-water mark');
  });

  test('/metrics is Prometheus text with connection, event, error, handler-latency and event-loop series', async () => {
    const socket = await server.client('p-prom', 'passenger');
    await request(socket, 'ping');
    await server.api('/api/metrics', { token: null }); // one AUTH_FAILED answer

    const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${await server.token('prom', 'admin')}` } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await res.text();
    assert.ok((sample(text, 'livegate_connections') ?? 0) >= 1, 'livegate_connections');
    assert.ok((sample(text, 'livegate_events_received_total{event="ping"}') ?? 0) >= 1, 'ping counter');
    assert.ok((sample(text, 'livegate_errors_total{code="AUTH_FAILED",transport="http"}') ?? 0) >= 1, 'error counter');
    assert.match(text, /^# TYPE livegate_errors_total counter$/m);
    assert.match(text, /^# TYPE livegate_handler_duration_seconds histogram$/m);
    assert.ok((sample(text, 'livegate_handler_duration_seconds_count{event="ping"}') ?? 0) >= 1, 'handler histogram');
    assert.match(text, /^nodejs_eventloop_lag_seconds \d/m);
    socket.close();
  });

  test('/openapi.json is an OpenAPI 3 document listing the users and connections routes', async () => {
    const res = await server.api('/openapi.json', { token: null });
    assert.equal(res.status, 200);
    assert.match(res.body.openapi, /^3\./);
    assert.equal(typeof res.body.info.title, 'string');
    for (const path of ['/api/users', '/api/users/{id}', '/api/connections', '/api/connections/disconnect']) assert.ok(res.body.paths[path], path);
    assert.ok(res.body.paths['/api/users'].post, 'POST /api/users');
    assert.ok(res.body.paths['/api/users/{id}'].get && res.body.paths['/api/users/{id}'].patch, 'GET and PATCH /api/users/{id}');
    assert.ok(res.body.paths['/api/connections/disconnect'].post, 'POST /api/connections/disconnect');
    assert.ok(res.body.paths['/api/users'].post.requestBody, 'request bodies come from the zod schemas');
    assert.deepEqual(res.body.paths['/healthz'].get.security, [], '/healthz is documented as public');
  });
});
