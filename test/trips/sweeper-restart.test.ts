import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.ts';
import { openPglite } from '../../src/storage/pglite.ts';
import type { Database } from '../../src/storage/index.ts';
import { collect, next, request } from '../helpers/client.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer } from '../helpers/server.ts';
import { placeDriver, SEED_REQUEST, TRIP_ENV } from './fixtures.ts';

/**
 * Deadlines are rows: a node that restarts (or another node on the same
 * database) resumes the search, and two sweepers never act twice.
 */
describe('sweeping from the database (restart, two nodes on one database)', () => {
  const clock = new ManualClock(Date.now());
  let db: Database;
  before(async () => (db = await openPglite('memory')));
  after(() => db.close());

  test('a restarted node resumes a search its predecessor started', async () => {
    const first = await startServer(TRIP_ENV, { clock, db });
    const passenger = await first.client('rs-p', 'passenger');
    const answer = await request<{ tripId: string; nearbyDriversCount: number }>(passenger, 'trip_request', SEED_REQUEST);
    assert.ok(answer.success && answer.data.nearbyDriversCount === 0);
    const { tripId } = answer.data;
    await first.close();

    const second = await startServer(TRIP_ENV, { clock, db });
    try {
      const [rider, driver] = await Promise.all([second.client('rs-p', 'passenger'), second.client('rs-d', 'driver')]);
      clock.advance(10_000);
      placeDriver(second, 'rs-d', clock, 300);
      const offer = next(driver, 'new_trip_available');
      assert.equal((await second.app.trips.sweep()).waves, 1);
      assert.equal((await offer).tripId, tripId);
      const expired = next(rider, 'trip_expired');
      clock.advance(300_000);
      assert.equal((await second.app.trips.sweep()).expired, 1);
      assert.equal((await expired).tripId, tripId);
    } finally {
      await second.close();
    }
  });

  test('two nodes sweeping the same due trip at once dispatch its wave once', async () => {
    const [a, b] = [await startServer(TRIP_ENV, { clock, db }), await startServer(TRIP_ENV, { clock, db })];
    try {
      clock.advance(61_000);
      const passenger = await a.client('two-p', 'passenger');
      const answer = await request<{ tripId: string; nearbyDriversCount: number }>(passenger, 'trip_request', SEED_REQUEST);
      assert.ok(answer.success && answer.data.nearbyDriversCount === 0);
      // Without a shared adapter each node reaches only its own sockets: the driver is connected to both.
      const offers = collect(await a.client('two-d', 'driver'), 'new_trip_available');
      const offersB = collect(await b.client('two-d', 'driver'), 'new_trip_available');
      clock.advance(10_000);
      placeDriver(a, 'two-d', clock, 300);
      placeDriver(b, 'two-d', clock, 300);
      const [ra, rb] = await Promise.all([a.app.trips.sweep(), b.app.trips.sweep()]);
      assert.equal(ra.waves + rb.waves, 1);
      await eventually(() => assert.equal(offers.length + offersB.length, 1));
      clock.advance(300_000);
      const [ea, eb] = await Promise.all([a.app.trips.sweep(), b.app.trips.sweep()]);
      assert.equal(ea.expired + eb.expired, 1);
      const { body } = await a.api(`/api/trips/${answer.data.tripId}`);
      assert.equal(body.statusHistory.filter((h: { to: string }) => h.to === 'expired').length, 1);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
