import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.ts';
import { request } from '../helpers/client.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { PICKUP, placeDriver, SEED_REQUEST, TRIP_ENV } from './fixtures.ts';

const NORTH_DEG_PER_M = 1 / 111_195;

/** The completed fare checks the reported distance against the track the location pipeline recorded. */
describe('trip_completed against the recorded track (DriverTracks)', () => {
  const clock = new ManualClock(Date.now());
  let server: TestServer;
  before(async () => (server = await startServer(TRIP_ENV, { clock })));
  after(() => server.close());

  test('an inflated distance is capped at the track (× 1.15 + 0.5 km); the duration at the measured time', async () => {
    const [passenger, driver] = await Promise.all([server.client('tr-p', 'passenger'), server.client('tr-d', 'driver')]);
    placeDriver(server, 'tr-d', clock, 100);
    // A short trip (2 km north): its estimate is far below the detour the driver will drive.
    const asked = await request<{ tripId: string }>(passenger, 'trip_request', { ...SEED_REQUEST, dropoffLatitude: PICKUP.latitude + 2000 * NORTH_DEG_PER_M, dropoffLongitude: PICKUP.longitude });
    assert.ok(asked.success);
    const { tripId } = asked.data;
    clock.advance(1000); // the first fix comes after the one the index already has
    for (const event of ['trip_accept', 'driver_arrived', 'trip_started']) assert.equal((await request(driver, event, { tripId })).success, true, event);

    // Five fixes, 1.5 km apart, five minutes apart: a 6 km track over 20 minutes.
    for (let i = 0; i <= 4; i++) {
      if (i > 0) clock.advance(5 * 60_000);
      const fix = await request(driver, 'driver_location_update', {
        tripId,
        location: { latitude: PICKUP.latitude + i * 1500 * NORTH_DEG_PER_M, longitude: PICKUP.longitude, accuracy: 5, speed: 18, heading: 0 },
        timestamp: new Date(clock.now()).toISOString(),
        isOnline: true,
        isAvailable: false,
      });
      assert.equal(fix.success, true, JSON.stringify(fix));
    }
    const done = await request<{ actualDistance: number; actualDuration: number; actualFare: number }>(driver, 'trip_completed', { tripId, actualDistance: 40, actualDuration: 90 });
    assert.ok(done.success, JSON.stringify(done));
    assert.ok(Math.abs(done.data.actualDistance - (6 * 1.15 + 0.5)) < 0.05, `distance ${done.data.actualDistance}`);
    assert.equal(done.data.actualDuration, 20);
    // 5.00 + 7.4 km × 1.20 + 20 min × 0.25 = 18.88 (give or take the track's metres).
    assert.ok(Math.abs(done.data.actualFare - 18.88) < 0.1, `fare ${done.data.actualFare}`);
    const { body } = await server.api(`/api/trips/${tripId}`);
    assert.equal(body.actualFare, done.data.actualFare);
  });
});
