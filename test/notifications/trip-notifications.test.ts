import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.ts';
import type { InboxEntry } from '../../src/protocol/index.ts';
import { next, request } from '../helpers/client.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { createProfiles, TRIP_ENV } from '../trips/fixtures.ts';
import { acceptedTrip } from './fixtures.ts';

describe('notifications from trip milestones (seed 000 "Trip Completed" with "Rate Driver")', () => {
  const clock = new ManualClock(Date.now());
  let server: TestServer;
  before(async () => (server = await startServer(TRIP_ENV, { clock })));
  after(() => server.close());

  test('driver assigned, driver arrived and trip completed each notify the passenger once, live and in the inbox', async () => {
    await createProfiles(server, [
      { id: 'tn-p', role: 'passenger', name: 'Ahmed Mohamed' },
      { id: 'tn-d', role: 'driver', name: 'Mohamed Ali', vehicle: { make: 'Toyota', model: 'Corolla', year: 2020, color: 'White', plateNumber: 'KRT-1234' } },
    ]);
    const passenger = await server.client('tn-p', 'passenger');
    const driver = await server.client('tn-d', 'driver');
    const seen: { title: string; data: Record<string, unknown>; actions: unknown[] }[] = [];
    passenger.on('notification', (n) => seen.push(n));

    const tripId = await acceptedTrip(server, passenger, driver, 'tn-d', clock);
    await eventually(() => assert.deepEqual(seen.map((n) => n.title), ['Driver on the way']));
    assert.deepEqual(seen[0]!.data, { tripId, driverId: 'tn-d' });

    assert.equal((await request(driver, 'driver_arrived', { tripId })).success, true);
    await eventually(() => assert.equal(seen.length, 2));
    assert.equal((await request(driver, 'trip_started', { tripId })).success, true);
    clock.advance(20 * 60_000);
    const completed = next(passenger, 'notification:new');
    const done = await request<{ actualFare: number }>(driver, 'trip_completed', { tripId, actualDistance: 12.5, actualDuration: 20 });
    assert.ok(done.success, JSON.stringify(done));
    const last = await completed;
    assert.equal(last.title, 'Trip Completed');
    assert.equal(last.type, 'success');
    assert.deepEqual(last.data, { tripId, amount: done.data.actualFare });
    assert.deepEqual(last.actions, [{ label: 'Rate Driver', action: 'rate_driver', data: { tripId } }]);
    await eventually(() => assert.deepEqual(seen.map((n) => n.title), ['Driver on the way', 'Your driver has arrived', 'Trip Completed']));

    const inbox = await request<{ notifications: InboxEntry[]; unreadCount: number }>(passenger, 'notification:list');
    assert.ok(inbox.success);
    assert.deepEqual(inbox.data.notifications.map((n) => n.title), ['Trip Completed', 'Your driver has arrived', 'Driver on the way']);
    assert.equal(inbox.data.unreadCount, 3);
  });
});
