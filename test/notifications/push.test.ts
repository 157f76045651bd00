import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.ts';
import { PushRepository, verifyPush } from '../../src/modules/notifications/index.ts';
import { NotificationsRepository } from '../../src/modules/notifications/notifications.repository.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { registered } from './fixtures.ts';
import { startRelay, type RelayCall } from './relay.ts';

const SECRET = 'push-secret-for-tests-0123456789';

describe('push relay for users without a live socket', () => {
  const clock = new ManualClock(Date.now());
  /** Per user: the statuses the relay answers, in order (then 200). A function holds the answer back. */
  const script = new Map<string, Array<number | (() => Promise<number>)>>();
  let relay: Awaited<ReturnType<typeof startRelay>>;
  let server: TestServer;
  before(async () => {
    relay = await startRelay((call: RelayCall) => {
      const next = script.get(call.body.userId)?.shift() ?? 200;
      return typeof next === 'number' ? next : next();
    });
    server = await startServer({
      PUSH_WEBHOOK_URL: relay.url, PUSH_WEBHOOK_SECRET: SECRET, PUSH_SWEEP_INTERVAL_MS: '0',
      PUSH_MAX_ATTEMPTS: '4', PUSH_RETRY_BASE_MS: '1000', PUSH_RETRY_MAX_MS: '60000', PUSH_TIMEOUT_MS: '1000',
    }, { clock });
  });
  after(async () => {
    await server.close();
    await relay.close();
  });

  const push = () => server.app.notifications.push!;
  const send = async (userId: string, notification: Record<string, unknown> = { title: 'Payment received', message: 'We received 27.50' }) => {
    const res = await server.api('/api/notifications', { body: { userId, notification } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id as string;
  };
  const statusOf = (id: string, userId: string) => new PushRepository(server.app.db).statusOf(id, userId);
  const counter = async (name: string, label: string, value: string) => {
    const values = (await server.app.metrics.registry.getSingleMetric(name)!.get()).values;
    return values.find((v) => v.labels[label] === value)?.value ?? 0;
  };

  test('an offline user: exactly one call, signed over timestamp and raw body, with the notification and an idempotency key', async () => {
    const id = await send('push-off-1');
    await eventually(() => assert.equal(relay.callsFor(id, 'push-off-1').length, 1));
    await push().sweep();
    const calls = relay.callsFor(id, 'push-off-1');
    assert.equal(calls.length, 1, 'still one after another sweep');
    const [call] = calls;
    assert.ok(verifyPush(SECRET, call!.raw, call!.headers, clock.now()), 'signature verifies');
    assert.ok(!verifyPush('another-secret-0123456789', call!.raw, call!.headers, clock.now()), 'not with another key');
    assert.ok(!verifyPush(SECRET, call!.raw.replace('27.50', '99.99'), call!.headers, clock.now()), 'not for another body');
    assert.ok(!verifyPush(SECRET, call!.raw, call!.headers, clock.now() + 10 * 60_000), 'a replay ten minutes later is refused');
    assert.match(String(call!.headers['x-livegate-signature']), /^sha256=[0-9a-f]{64}$/);
    assert.equal(call!.headers['content-type'], 'application/json');
    assert.deepEqual(call!.body, {
      id, userId: 'push-off-1', attempt: 1, timestamp: Number(call!.headers['x-livegate-timestamp']),
      notification: { id, type: 'info', title: 'Payment received', message: 'We received 27.50', data: {}, actions: [], timestamp: new Date(clock.now()).toISOString(), expiresAt: null },
    });
    assert.deepEqual(await statusOf(id, 'push-off-1'), { status: 'sent', attempts: 1, lastError: null });
  });

  test('an online user gets the live emit and no push call', async () => {
    const socket = await server.client('push-on-1', 'passenger');
    await registered(server, 'push-on-1');
    const skippedBefore = await counter('livegate_push_deliveries_total', 'outcome', 'skipped_online');
    const id = await send('push-on-1');
    await push().sweep();
    assert.deepEqual(await statusOf(id, 'push-on-1'), { status: 'skipped', attempts: 1, lastError: null });
    assert.equal(relay.callsFor(id, 'push-on-1').length, 0);
    assert.equal(await counter('livegate_push_deliveries_total', 'outcome', 'skipped_online') - skippedBefore, 1);
    socket.close();
  });

  test('a relay answering 500 is retried with exponential backoff until it answers 200; the request that created the notification never waits', async () => {
    let release!: (status: number) => void;
    const held = new Promise<number>((resolve) => (release = resolve));
    script.set('push-retry', [() => held, 500]);
    const errorsBefore = await counter('livegate_push_attempts_total', 'result', 'http_error');
    const id = await send('push-retry'); // answered while the relay still holds the first call
    await eventually(() => assert.equal(relay.callsFor(id, 'push-retry').length, 1));
    release(500);
    await eventually(async () => assert.equal((await statusOf(id, 'push-retry'))?.status, 'pending'));

    await push().sweep();
    assert.equal(relay.callsFor(id, 'push-retry').length, 1, 'not before the backoff (0.5–1 s after attempt 1)');
    clock.advance(1000);
    await push().sweep();
    assert.equal(relay.callsFor(id, 'push-retry').length, 2);
    clock.advance(2000); // attempt 2's backoff: 1–2 s
    await push().sweep();
    const calls = relay.callsFor(id, 'push-retry');
    assert.deepEqual(calls.map((c) => c.body.attempt), [1, 2, 3]);
    for (const c of calls) assert.ok(verifyPush(SECRET, c.raw, c.headers, clock.now()));
    assert.deepEqual(await statusOf(id, 'push-retry'), { status: 'sent', attempts: 3, lastError: null });
    assert.equal(await counter('livegate_push_attempts_total', 'result', 'http_error') - errorsBefore, 2);
  });

  test('a relay that keeps failing: bounded attempts, then `failed`, visible in metrics; a 4xx is not retried', async () => {
    script.set('push-down', [500, 503, 502, 500, 500]);
    const failedBefore = await counter('livegate_push_deliveries_total', 'outcome', 'failed');
    const id = await send('push-down');
    for (let i = 0; i < 6; i++) {
      await eventually(async () => assert.notEqual((await statusOf(id, 'push-down'))?.status, 'sending'));
      clock.advance(60_000);
      await push().sweep();
    }
    assert.equal(relay.callsFor(id, 'push-down').length, 4, 'PUSH_MAX_ATTEMPTS');
    assert.deepEqual(await statusOf(id, 'push-down'), { status: 'failed', attempts: 4, lastError: 'HTTP 500' });

    script.set('push-bad', [400]);
    const bad = await send('push-bad');
    await eventually(async () => assert.equal((await statusOf(bad, 'push-bad'))?.status, 'failed'));
    clock.advance(60_000);
    await push().sweep();
    assert.equal(relay.callsFor(bad, 'push-bad').length, 1);
    assert.equal(await counter('livegate_push_deliveries_total', 'outcome', 'failed') - failedBefore, 2);
    assert.ok(await counter('livegate_push_attempts_total', 'result', 'rejected') >= 1);
  });

  test('a relay that does not answer within PUSH_TIMEOUT_MS counts as a timeout and is retried', async () => {
    script.set('push-slow', [() => new Promise<number>(() => undefined)]);
    const timeoutsBefore = await counter('livegate_push_attempts_total', 'result', 'timeout');
    const id = await send('push-slow');
    await eventually(async () => assert.deepEqual(await statusOf(id, 'push-slow'), { status: 'pending', attempts: 1, lastError: 'timeout after 1000 ms' }), 5000);
    assert.equal(await counter('livegate_push_attempts_total', 'result', 'timeout') - timeoutsBefore, 1);
    clock.advance(1000);
    await push().sweep();
    assert.deepEqual(relay.callsFor(id, 'push-slow').map((c) => c.body.attempt), [1, 2]);
    assert.equal((await statusOf(id, 'push-slow'))?.status, 'sent');
  });

  test('a notification that expires while waiting for a retry is not pushed again', async () => {
    script.set('push-exp', [500]);
    const id = await send('push-exp', { message: 'Your driver is 1 minute away', expiresAt: new Date(clock.now() + 30_000).toISOString() });
    await eventually(async () => assert.equal((await statusOf(id, 'push-exp'))?.status, 'pending'));
    clock.advance(31_000);
    await push().sweep();
    assert.equal((await statusOf(id, 'push-exp'))?.status, 'expired');
    assert.equal(relay.callsFor(id, 'push-exp').length, 1);
  });

  test('a claim whose node died before sending is taken over after its lease, and the dead claim cannot record a result', async () => {
    // A "dead node": stores a notification and claims its push row, then never sends.
    const notification = { id: '6a1c2b55-6f0c-4a48-9d8b-0e6a8f6b2c11', type: 'info' as const, title: 'Crash', message: 'claimed, never sent', data: {}, actions: [], createdAt: new Date(clock.now()).toISOString(), expiresAt: null };
    await new NotificationsRepository(server.app.db).create(notification, ['push-crash'], { push: true });
    const pushRows = new PushRepository(server.app.db);
    const [dead] = await pushRows.claimDue(new Date(clock.now()).toISOString(), new Date(clock.now() + 30_000).toISOString(), 10);
    assert.equal(dead?.userId, 'push-crash');
    await push().sweep();
    assert.equal(relay.callsFor(notification.id, 'push-crash').length, 0, 'the live claim is respected');
    clock.advance(30_001);
    await push().sweep();
    const calls = relay.callsFor(notification.id, 'push-crash');
    assert.deepEqual(calls.map((c) => c.body.attempt), [2]);
    const late = { key: { notificationId: notification.id, userId: 'push-crash', attempts: 1 }, status: 'failed' as const };
    assert.equal(await pushRows.record([late], new Date(clock.now()).toISOString()), 0, 'fenced');
    assert.equal((await statusOf(notification.id, 'push-crash'))?.status, 'sent');
  });
});
