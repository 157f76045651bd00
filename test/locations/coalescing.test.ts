import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.ts';
import type { DriverLocationPayload } from '../../src/protocol/index.ts';
import { collect, request, type Client } from '../helpers/client.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { createProfile, fix, LOCATION_ENV, north, startTrip } from './fixtures.ts';

const INTERVAL_MS = 1_000;
const PICKUP = { latitude: 15.55, longitude: 32.6 };

describe(`position emits are coalesced per driver (LOCATION_MIN_INTERVAL_MS=${INTERVAL_MS})`, () => {
  const clock = new ManualClock(Date.now());
  let server: TestServer;
  let driver: Client;
  let passenger: Client;
  let admin: Client;

  before(async () => {
    server = await startServer({ ...LOCATION_ENV, LOCATION_MIN_INTERVAL_MS: String(INTERVAL_MS) }, { clock });
    await createProfile(server, { id: 'co-d', role: 'driver', name: 'Driver' });
    [driver, passenger, admin] = await Promise.all([server.client('co-d', 'driver'), server.client('co-p', 'passenger'), server.client('co-admin', 'admin')]);
    await startTrip(server, clock, { passenger, driver, pickup: PICKUP, dropoff: north(PICKUP, 5_000), offsetM: 400 });
    assert.equal((await request(admin, 'join_driver_location', { driverId: 'co-d' })).success, true);
  });
  after(() => server.close());

  test('a burst of 50 updates in ~100 ms: the first at once, then one trailing delivery with the latest fix', async () => {
    const toPassenger = collect(passenger, 'driver_location_update') as DriverLocationPayload[];
    const toAdmin = collect(admin, 'driver_location_update') as DriverLocationPayload[];
    clock.advance(10_000);
    const sent: string[] = [];
    const started = performance.now();
    const acks: Promise<unknown>[] = [];
    for (let i = 0; i < 50; i++) {
      clock.advance(2);
      const payload = fix(clock, north(PICKUP, 400 - i * 0.05));
      sent.push(payload.timestamp);
      acks.push(request(driver, 'driver_location_update', payload));
    }
    const answers = (await Promise.all(acks)) as { success: boolean }[];
    const burstMs = performance.now() - started;
    assert.equal(answers.filter((a) => a.success).length, 50, 'every fix of the burst is accepted, in order');
    // The trailing delivery carries the last fix of the burst: nothing newer is lost.
    await eventually(() => assert.equal(toPassenger.at(-1)?.timestamp, sent.at(-1)), 3 * INTERVAL_MS);
    await eventually(() => assert.equal(toAdmin.at(-1)?.timestamp, sent.at(-1)), 3 * INTERVAL_MS);
    const allowed = 1 + Math.ceil(burstMs / INTERVAL_MS);
    assert.ok(toPassenger.length <= allowed, `${toPassenger.length} deliveries for a ${burstMs.toFixed(0)} ms burst (at most ${allowed})`);
    assert.equal(toPassenger[0]?.timestamp, sent[0], `the first fix goes out at once: got ${toPassenger.map((p) => sent.indexOf(p.timestamp)).join()} / admin ${toAdmin.map((p) => sent.indexOf(p.timestamp)).join()}`);
    assert.equal(toAdmin.length, toPassenger.length, 'the room gets the same deliveries');
    // Every fix is still recorded in the history, coalescing only thins the emits.
    await server.app.locations.history.writer.flush();
    const history = await server.api(`/api/drivers/co-d/history?from=${encodeURIComponent(sent[0]!)}&to=${encodeURIComponent(sent.at(-1)!)}`);
    assert.equal(history.body.count, 50);
  });

  test('a driver reporting slower than the interval gets every position delivered', async () => {
    const seen = collect(passenger, 'driver_location_update') as DriverLocationPayload[];
    const sent: string[] = [];
    // The burst's trailing delivery has just gone out.
    let deliveredAt = performance.now();
    for (let i = 0; i < 3; i++) {
      // Real time must pass too: the interval is wall-clock, the fixes' timestamps are the test clock.
      await eventually(() => assert.ok(performance.now() - deliveredAt >= INTERVAL_MS, 'performance.now() - deliveredAt >= INTERVAL_MS'), 3 * INTERVAL_MS);
      clock.advance(5_000);
      const payload = fix(clock, north(PICKUP, 300 - i * 20));
      sent.push(payload.timestamp);
      assert.equal((await request(driver, 'driver_location_update', payload)).success, true);
      await eventually(() => assert.equal(seen.at(-1)?.timestamp, payload.timestamp), 3 * INTERVAL_MS);
      deliveredAt = performance.now();
    }
    assert.deepEqual(seen.map((p) => p.timestamp), sent);
  });
});
