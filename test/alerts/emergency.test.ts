import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.ts';
import type { EmergencyAlertPayload } from '../../src/protocol/index.ts';
import { collect, next, request } from '../helpers/client.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { acceptedTrip, closeAll, unconnected } from '../notifications/fixtures.ts';
import { createProfiles, TRIP_ENV } from '../trips/fixtures.ts';

const KHARTOUM = { latitude: 15.5007, longitude: 32.5532, address: 'Khartoum University, Khartoum' };

describe('emergency alerts (seed 000 `emergency_alert`, seed 001 `emergency:alert`)', () => {
  const clock = new ManualClock(Date.now());
  let server: TestServer;
  before(async () => (server = await startServer({ ...TRIP_ENV, RATE_LIMIT_DEFAULT: '5/60', ALERT_AUTO_EXPIRE_S: '600' }, { clock })));
  after(async () => {
    closeAll();
    await server.close();
  });

  test('a passenger\'s panic button on their trip reaches admins and the driver as `emergency_alert`, and fleet as `emergency:alert`', async () => {
    await createProfiles(server, [{ id: 'em-p', role: 'passenger', name: 'Ahmed' }, { id: 'em-d', role: 'driver', name: 'Mohamed' }]);
    const passenger = await server.client('em-p', 'passenger');
    const driver = await server.client('em-d', 'driver');
    const admin = await server.client('em-admin', 'admin');
    assert.equal((await request(admin, 'subscribe:tracking')).success, true);
    const bystander = await server.client('em-bystander', 'passenger');
    const bystanderSaw = collect(bystander, 'emergency_alert');
    const tripId = await acceptedTrip(server, passenger, driver, 'em-d', clock);

    const toAdmin = next(admin, 'emergency_alert');
    const toDriver = next(driver, 'emergency_alert');
    const toFleet = next(admin, 'emergency:alert');
    const answer = await request<{ alertId: string; tripId: string; status: string }>(passenger, 'emergency_alert', { tripId, location: KHARTOUM });
    assert.ok(answer.success, JSON.stringify(answer));
    const expected: EmergencyAlertPayload = {
      id: answer.data.alertId, severity: 'high', title: 'Emergency Button Pressed', message: 'Emergency assistance has been requested',
      location: KHARTOUM, userId: 'em-p', tripId, vehicleId: null, timestamp: new Date(clock.now()).toISOString(), autoExpire: false,
    };
    assert.deepEqual(answer.data, { alertId: expected.id, tripId, status: 'open', timestamp: expected.timestamp });
    assert.deepEqual(await toAdmin, expected);
    assert.deepEqual(await toDriver, expected);
    assert.deepEqual(await toFleet, { alert: expected, priority: 'high' });
    await request(bystander, 'ping');
    assert.deepEqual(bystanderSaw, []);
    const stored = await server.api(`/api/alerts/${expected.id}`);
    assert.equal(stored.body.status, 'open');
    assert.equal(stored.body.source, 'socket');
  });

  test('a tripId the sender is not a party of routes nothing: admins still get the alert, the trip\'s parties do not', async () => {
    const passenger = await server.client('em2-p', 'passenger');
    const driver = await server.client('em2-d', 'driver');
    const tripId = await acceptedTrip(server, passenger, driver, 'em2-d', clock);
    const driverSaw = collect(driver, 'emergency_alert');
    const passengerSaw = collect(passenger, 'emergency_alert');
    const admin = await server.client('em2-admin', 'admin');
    // A connecting admin is also sent the alerts earlier tests left open: pick this one by id.
    const adminSaw = collect(admin, 'emergency_alert') as EmergencyAlertPayload[];
    const stranger = await server.client('em2-stranger', 'passenger');
    const answer = await request<{ alertId: string; tripId: string | null }>(stranger, 'emergency_alert', { tripId, location: { lat: 15.6, lng: 32.5 }, message: 'Help', severity: 'critical' });
    assert.ok(answer.success);
    assert.equal(answer.data.tripId, null);
    const got = await eventually(() => {
      const mine = adminSaw.find((a) => a.id === answer.data.alertId);
      assert.ok(mine, 'the admin got the alert');
      return mine;
    });
    assert.equal(got.tripId, null);
    assert.deepEqual(got.location, { latitude: 15.6, longitude: 32.5 });
    assert.equal(got.severity, 'critical');
    assert.equal(got.message, 'Help');
    await request(driver, 'ping');
    await request(passenger, 'ping');
    assert.deepEqual([driverSaw, passengerSaw], [[], []]);
    assert.equal((await server.api(`/api/alerts/${answer.data.alertId}`)).body.unverifiedTripId, tripId);
  });

  test('a client flooding other events until rate-limited can still send emergency_alert; its payload is still validated', async () => {
    const socket = await server.client('em-flood', 'driver');
    let refused = 0;
    for (let i = 0; i < 8; i++) if (!(await request(socket, 'ping')).success) refused++;
    assert.equal(refused, 3, 'RATE_LIMIT_DEFAULT=5/60');
    const limited = await request(socket, 'notification:request-count');
    assert.equal(!limited.success && limited.error.code, 'RATE_LIMIT_EXCEEDED');
    for (let i = 0; i < 3; i++) assert.equal((await request(socket, 'emergency_alert', { location: KHARTOUM })).success, true, `alert ${i}`);

    for (const bad of [{}, { location: { latitude: 91, longitude: 0 } }, { location: KHARTOUM, tripId: 'not-a-trip' }, { location: KHARTOUM, message: 'x'.repeat(1001) }, { location: { latitude: Number.NaN, longitude: 0 } }]) {
      const res = await request(socket, 'emergency_alert', bad);
      assert.equal(!res.success && res.error.code, 'VALIDATION_ERROR', JSON.stringify(bad));
    }
    const error = next(socket, 'error');
    socket.emit('emergency_alert', { location: 'here' } as never);
    assert.equal((await error).code, 'VALIDATION_ERROR', 'answered without an ack too');
    const admin = await server.client('em-flood-admin', 'admin');
    const forbidden = await request(admin, 'emergency_alert', { location: KHARTOUM });
    assert.equal(!forbidden.success && forbidden.error.code, 'FORBIDDEN', 'passengers and drivers only');
  });

  test('an emergency_alert over MAX_PAYLOAD_BYTES still closes the socket before any handler', async () => {
    const socket = await server.client('em-huge', 'passenger');
    const gone = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    socket.emit('emergency_alert', { location: KHARTOUM, message: 'x'.repeat(70_000) });
    assert.equal(await gone, 'transport close');
  });

  test('acknowledgement: the reporter is told once; acknowledging again (socket or HTTP) is idempotent', async () => {
    const reporter = await server.client('em-ack-p', 'passenger');
    const admin = await server.client('em-ack-a1', 'admin');
    const { alertId } = ((await request<{ alertId: string }>(reporter, 'emergency_alert', { location: KHARTOUM })) as { data: { alertId: string } }).data;
    const told = collect(reporter, 'emergency_alert:acknowledged');
    const first = next(reporter, 'emergency_alert:acknowledged');
    const answer = await request(admin, 'emergency_alert:acknowledge', { alertId });
    const at = new Date(clock.now()).toISOString();
    assert.deepEqual(answer, { success: true, data: { alertId, acknowledgedBy: 'em-ack-a1', acknowledgedAt: at } });
    assert.deepEqual(await first, { alertId, acknowledgedBy: 'em-ack-a1', acknowledgedAt: at });

    clock.advance(5000);
    const again = await server.api(`/api/alerts/${alertId}/acknowledge`, { method: 'POST' });
    assert.equal(again.status, 200);
    assert.equal(again.body.acknowledgedBy, 'em-ack-a1', 'the first acknowledgement is kept');
    assert.equal(again.body.acknowledgedAt, at);
    assert.equal(again.body.status, 'acknowledged');
    const twice = await request(admin, 'emergency_alert:acknowledge', { alertId });
    assert.deepEqual(twice, answer);
    await request(reporter, 'ping');
    assert.equal(told.length, 1);

    const missing = await request(admin, 'emergency_alert:acknowledge', { alertId: '00000000-0000-4000-8000-000000000000' });
    assert.equal(!missing.success && missing.error.code, 'NOT_FOUND');
    const byPassenger = await request(reporter, 'emergency_alert:acknowledge', { alertId });
    assert.equal(!byPassenger.success && byPassenger.error.code, 'FORBIDDEN');
  });

  test('two admins racing to acknowledge: one wins, the reporter is told once', async () => {
    const reporter = await server.client('em-race-p', 'passenger');
    const admins = [await server.client('em-race-a1', 'admin'), await server.client('em-race-a2', 'admin')];
    const { alertId } = ((await request<{ alertId: string }>(reporter, 'emergency_alert', { location: KHARTOUM })) as { data: { alertId: string } }).data;
    const told = collect(reporter, 'emergency_alert:acknowledged');
    const answers = await Promise.all([
      ...admins.map((a) => request<{ acknowledgedBy: string }>(a, 'emergency_alert:acknowledge', { alertId })),
      server.api(`/api/alerts/${alertId}/acknowledge`, { method: 'POST' }).then((r) => ({ success: true as const, data: r.body as { acknowledgedBy: string } })),
    ]);
    const winners = new Set(answers.map((a) => (a.success ? a.data.acknowledgedBy : 'error')));
    assert.equal(winners.size, 1, `one winner: ${[...winners]}`);
    await request(reporter, 'ping');
    assert.equal(told.length, 1);
  });

  test('an admin who connects later receives every unacknowledged alert, in both shapes; acknowledged and auto-expired ones are not re-sent', async () => {
    const list = await server.api('/api/alerts?status=open&limit=200');
    for (const a of list.body.alerts) await server.api(`/api/alerts/${a.id}/acknowledge`, { method: 'POST' });
    const reporter = await server.client('em-late-p', 'passenger');
    const kept = await request<{ alertId: string }>(reporter, 'emergency_alert', { location: KHARTOUM, message: 'still open' });
    const handled = await request<{ alertId: string }>(reporter, 'emergency_alert', { location: KHARTOUM, message: 'handled' });
    assert.ok(kept.success && handled.success);
    await server.api(`/api/alerts/${handled.data.alertId}/acknowledge`, { method: 'POST' });
    const expiring = await server.api('/api/alerts', { body: { severity: 'low', title: 'Low fuel', message: 'Vehicle V-9 at 10 %', location: KHARTOUM, vehicleId: 'V-9', autoExpire: true } });
    assert.equal(expiring.status, 201);
    clock.advance(601_000);

    const late = await unconnected(server, 'em-late-admin', 'admin');
    const seen = collect(late, 'emergency_alert') as EmergencyAlertPayload[];
    const seen001 = collect(late, 'emergency:alert') as { alert: EmergencyAlertPayload }[];
    late.connect();
    await next(late, 'emergency:alert');
    await request(late, 'notification:list'); // queued after the replay's query: everything replayed has arrived
    assert.deepEqual(seen.map((a) => a.id), [kept.data.alertId]);
    assert.deepEqual(seen001.map((a) => a.alert.id), [kept.data.alertId]);
    assert.equal(seen[0]!.message, 'still open');
  });

  test('POST /api/alerts (backends): stored, sent to admins, fleet and the trip\'s parties other than the subject; admin or service only', async () => {
    const passenger = await server.client('em-api-p', 'passenger');
    const driver = await server.client('em-api-d', 'driver');
    const tripId = await acceptedTrip(server, passenger, driver, 'em-api-d', clock);
    const admin = await server.client('em-api-admin', 'admin');
    assert.equal((await request(admin, 'subscribe:tracking')).success, true);
    const toPassenger = next(passenger, 'emergency_alert');
    // The admin is also sent alerts earlier tests left open: pick this one by title.
    const fleetSaw = collect(admin, 'emergency:alert') as Array<{ alert: EmergencyAlertPayload; priority: string }>;
    const toFleet = eventually(() => {
      const mine = fleetSaw.find((a) => a.alert.title === 'Accident detected');
      assert.ok(mine, 'the fleet got the alert');
      return mine;
    });
    const driverSaw = collect(driver, 'emergency_alert');
    const service = await server.token('crash-detector', 'service');
    const res = await server.api('/api/alerts', {
      token: service,
      body: { userId: 'em-api-d', vehicleId: 'V-1', tripId, severity: 'critical', title: 'Accident detected', message: 'Hard impact at 62 km/h', location: KHARTOUM },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.tripId, tripId);
    assert.equal(res.body.source, 'api');
    const got = await toPassenger;
    assert.equal(got.title, 'Accident detected');
    assert.equal(got.vehicleId, 'V-1');
    assert.equal(got.userId, 'em-api-d');
    assert.deepEqual(await toFleet, { alert: got, priority: 'high' });
    await request(driver, 'ping');
    assert.deepEqual(driverSaw, [], 'the subject is not sent their own alert');

    const unknownTrip = await server.api('/api/alerts', { body: { tripId: '00000000-0000-4000-8000-000000000000', severity: 'medium', title: 'Breakdown', message: 'Engine failure', location: KHARTOUM } });
    assert.equal(unknownTrip.status, 201, 'an alert is never dropped');
    assert.equal(unknownTrip.body.tripId, null);
    assert.equal(unknownTrip.body.unverifiedTripId, '00000000-0000-4000-8000-000000000000');
    const passengerToken = await server.token('em-api-p', 'passenger');
    assert.equal((await server.api('/api/alerts', { token: passengerToken, body: { severity: 'low', title: 't', message: 'm', location: KHARTOUM } })).status, 403);
    const invalid = await server.api('/api/alerts', { body: { severity: 'apocalyptic', title: 't', message: 'm', location: KHARTOUM } });
    assert.equal(invalid.status, 400);
    const spec = await server.api('/openapi.json');
    assert.ok(spec.body.paths['/api/alerts']?.post && spec.body.paths['/api/alerts/{id}/acknowledge']?.post);
  });
});
