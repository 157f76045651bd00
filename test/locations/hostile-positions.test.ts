import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.ts';
import { collect, request, type Client } from '../helpers/client.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { createProfile, fix, LOCATION_ENV, north, startTrip } from './fixtures.ts';

const PICKUP = { latitude: 15.6, longitude: 32.5 };
const DROPOFF = { latitude: 15.65, longitude: 32.52 };

describe('invalid and hostile positions are refused with VALIDATION_ERROR and change nothing', () => {
  const clock = new ManualClock(Date.now());
  let server: TestServer;
  let driver: Client;
  let passenger: Client;
  let passengerSaw: unknown[];
  let good: { latitude: number; longitude: number };

  /** Everything a refused fix could have touched. */
  const snapshot = async () => {
    await server.app.locations.history.writer.flush();
    const history = await server.api('/api/drivers/hp-d/history?limit=100&from=2000-01-01T00:00:00Z');
    return { point: { ...server.app.geo.get('hp-d') }, history: history.body.points, relayed: passengerSaw.length };
  };

  before(async () => {
    server = await startServer(LOCATION_ENV, { clock });
    await createProfile(server, { id: 'hp-d', role: 'driver', name: 'Driver' });
    [driver, passenger] = await Promise.all([server.client('hp-d', 'driver'), server.client('hp-p', 'passenger')]);
    await startTrip(server, clock, { passenger, driver, pickup: PICKUP, dropoff: DROPOFF, offsetM: 300 });
    passengerSaw = collect(passenger, 'driver_location_update');
    clock.advance(10_000);
    good = north(PICKUP, 250);
    const answer = await request(driver, 'driver_location_update', fix(clock, good));
    assert.ok(answer.success, JSON.stringify(answer));
    await eventually(() => assert.equal(passengerSaw.length, 1));
    const start = await snapshot();
    assert.equal(start.history.length, 2, 'the fixes so far are recorded');
  });
  after(() => server.close());

  const refused = async (payload: unknown, field: string, reason?: string) => {
    const before = await snapshot();
    const answer = await request(driver, 'driver_location_update', payload);
    assert.equal(answer.success, false, JSON.stringify(answer));
    assert.ok(!answer.success);
    assert.equal(answer.error.code, 'VALIDATION_ERROR');
    assert.equal(answer.error.details?.field, field);
    if (reason) assert.equal(answer.error.details?.reason, reason);
    assert.deepEqual(await snapshot(), before);
  };

  test('NaN as a string, Infinity as a string, a missing coordinate', async () => {
    await refused({ ...fix(clock, good), location: { latitude: 'NaN', longitude: 32.5 } }, 'location.latitude');
    await refused({ ...fix(clock, good), location: { latitude: 15.6, longitude: 'Infinity' } }, 'location.longitude');
    await refused({ ...fix(clock, good), location: { longitude: 32.5 } }, 'location.latitude');
    // JSON has no NaN: a client's NaN arrives as null.
    await refused(JSON.parse('{"location":{"latitude":null,"longitude":32.5}}'), 'location.latitude');
  });

  test('out-of-range values: latitude 91, longitude -181, heading 361, negative speed, absurd accuracy', async () => {
    await refused({ ...fix(clock, good), location: { latitude: 91, longitude: 32.5 } }, 'location.latitude');
    await refused({ ...fix(clock, good), location: { latitude: 15.6, longitude: -181 } }, 'location.longitude');
    await refused({ ...fix(clock, good), location: { ...good, heading: 361 } }, 'location.heading');
    await refused({ ...fix(clock, good), location: { ...good, speed: -1 } }, 'location.speed');
    await refused({ ...fix(clock, good), location: { ...good, accuracy: 1e9 } }, 'location.accuracy');
    await refused({ ...fix(clock, good), timestamp: 'yesterday' }, 'timestamp');
  });

  test('a timestamp in the future beyond the allowed skew', async () => {
    clock.advance(1_000);
    await refused({ ...fix(clock, good), timestamp: new Date(clock.now() + 60_000).toISOString() }, 'timestamp', 'future');
  });

  test('a fix older than the previous one, or the same instant again', async () => {
    clock.advance(1_000);
    const last = server.app.geo.get('hp-d')!.at;
    await refused({ ...fix(clock, good), timestamp: new Date(last - 1_000).toISOString() }, 'timestamp', 'out_of_order');
    await refused({ ...fix(clock, good), timestamp: new Date(last).toISOString() }, 'timestamp', 'out_of_order');
  });

  test('a stale fix (older than LOCATION_MAX_AGE_S)', async () => {
    await refused({ ...fix(clock, good), timestamp: new Date(clock.now() - 3_600_000).toISOString() }, 'timestamp', 'too_old');
  });

  test('a teleport: 100 km in one second', async () => {
    const lastAt = server.app.geo.get('hp-d')!.at;
    clock.set(lastAt + 1_000);
    await refused(fix(clock, north(good, 100_000)), 'location', 'impossible_jump');
  });

  test('after all that, a plausible fix is accepted and relayed', async () => {
    clock.advance(10_000);
    const answer = await request(driver, 'driver_location_update', fix(clock, north(good, 50)));
    assert.ok(answer.success, JSON.stringify(answer));
    assert.equal(server.app.geo.get('hp-d')!.latitude, north(good, 50).latitude);
    await eventually(() => assert.equal(passengerSaw.length, 2));
    assert.equal((await snapshot()).history.length, 3);
  });

  test('only drivers may report positions', async () => {
    const answer = await request(passenger, 'driver_location_update', fix(clock, good));
    assert.equal(!answer.success && answer.error.code, 'FORBIDDEN');
  });
});
