import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/index.ts';
import { billedTrip, divRound, fareMinor } from '../../src/modules/trips/fare.ts';

const STANDARD = { baseMinor: 500, perKmMinor: 120, perMinuteMinor: 25, minimumMinor: 800 };

describe('fares in integer minor units', () => {
  test('base + per km + per minute, rounded half up, at least the minimum', () => {
    assert.equal(fareMinor(STANDARD, 12_500, 25 * 60), 500 + 1500 + 625);
    assert.equal(fareMinor(STANDARD, 0, 0), 800, 'the minimum');
    // 13 m × 120/km = 1.56 → 2 minor units; 2 s × 25/min = 0.83 → 1.
    assert.equal(fareMinor({ ...STANDARD, minimumMinor: 0 }, 12.5, 2), 503);
    assert.equal(divRound(5, 2), 3);
    assert.equal(divRound(4, 3), 1);
  });

  test('a reported distance is capped by the track, never below the estimate, and by a plausible speed', () => {
    const base = { reportedMinutes: 25, elapsedS: 25 * 60, estimatedDistanceM: 11_000 };
    assert.equal(billedTrip({ ...base, reportedKm: 12.5, trackKm: 12.2 }).distanceM, 12_500, 'within the slack');
    assert.equal(billedTrip({ ...base, reportedKm: 40, trackKm: 12 }).distanceM, 14_300, 'inflated report: 12 km × 1.15 + 0.5 km');
    assert.equal(billedTrip({ ...base, reportedKm: 12.5, trackKm: 1 }).distanceM, 11_000, 'a sparse track caps at the estimate');
    assert.equal(billedTrip({ ...base, reportedKm: 500, trackKm: null }).distanceM, Math.round((200_000 * 25 * 60) / 3600) + 500, '200 km/h');
    assert.equal(billedTrip({ ...base, reportedKm: undefined, trackKm: 9 }).distanceM, 9000, 'no report: the track');
    assert.equal(billedTrip({ ...base, reportedKm: undefined, trackKm: null }).distanceM, 11_000, 'no report, no track: the estimate');
  });

  test('the duration never exceeds what the server measured (rounded up to the minute)', () => {
    const base = { reportedKm: 5, trackKm: null, estimatedDistanceM: 5000 };
    assert.equal(billedTrip({ ...base, reportedMinutes: 90, elapsedS: 20 * 60 + 5 }).durationS, 21 * 60);
    assert.equal(billedTrip({ ...base, reportedMinutes: 10, elapsedS: 20 * 60 }).durationS, 600);
    assert.equal(billedTrip({ ...base, reportedMinutes: undefined, elapsedS: 754 }).durationS, 754);
  });
});

describe('trip configuration', () => {
  const base = { NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(40) };

  test('defaults, and tariffs parsed to minor units without float arithmetic', () => {
    const { trips } = loadConfig({ ...base, TRIP_TARIFF_PREMIUM: '8.1,2.05,0.4,12' });
    assert.deepEqual(trips.tariffs.standard, STANDARD);
    assert.deepEqual(trips.tariffs.premium, { baseMinor: 810, perKmMinor: 205, perMinuteMinor: 40, minimumMinor: 1200 });
    assert.deepEqual(trips.dispatchRadiiM, [3000, 5000, 8000]);
    assert.equal(trips.detourFactor, 1.3);
    assert.equal(trips.offerTtlS, 120);
    assert.equal(trips.searchTimeoutS, 300);
    assert.equal(trips.driverStaleAfterS, 60);
    assert.ok(Object.isFrozen(trips.tariffs));
  });

  test('bad values are all reported at once', () => {
    try {
      loadConfig({ ...base, TRIP_TARIFF_STANDARD: '5.123,1,1,1', TRIP_DISPATCH_RADII_M: '5000,3000', DETOUR_FACTOR: '0.5', TRIP_OFFER_TTL_S: 'soon' });
      assert.fail('expected a ConfigError');
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      const fields = err.problems.map((p) => p.split(':')[0]).sort();
      assert.deepEqual(fields, ['DETOUR_FACTOR', 'TRIP_DISPATCH_RADII_M', 'TRIP_OFFER_TTL_S', 'TRIP_TARIFF_STANDARD']);
    }
  });
});
