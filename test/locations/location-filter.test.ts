import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkFix, estimateEta, type EtaSettings, type FixLimits } from '../../src/modules/locations/index.ts';
import { DEG_PER_M } from './fixtures.ts';

const LIMITS: FixLimits = { maxFutureSkewMs: 5_000, maxAgeMs: 300_000, maxSpeedKmh: 250, jitterM: 50 };
const NOW = Date.parse('2026-01-01T12:00:00Z');
const at = (metresNorth: number, t: number, accuracy?: number) => ({ latitude: 15.5 + metresNorth * DEG_PER_M, longitude: 32.5, at: t, accuracy });

describe('checkFix: plausibility of a fix after the previous one', () => {
  test('timestamps: a small clock skew passes; further ahead, too old, not after the previous one are refused', () => {
    assert.equal(checkFix(undefined, at(0, NOW + 4_999), NOW, LIMITS), null);
    assert.equal(checkFix(undefined, at(0, NOW + 5_001), NOW, LIMITS), 'future');
    assert.equal(checkFix(undefined, at(0, NOW - 300_001), NOW, LIMITS), 'too_old');
    assert.equal(checkFix(at(0, NOW - 1_000), at(0, NOW - 1_000), NOW, LIMITS), 'out_of_order');
    assert.equal(checkFix(at(0, NOW - 1_000), at(0, NOW - 2_000), NOW, LIMITS), 'out_of_order');
  });

  test('jumps: speed × time plus GPS scatter (the larger of the jitter allowance and the fix accuracy)', () => {
    const prev = at(0, NOW - 10_000);
    // 250 km/h for 10 s = 694 m, + 50 m jitter.
    assert.equal(checkFix(prev, at(740, NOW), NOW, LIMITS), null);
    assert.equal(checkFix(prev, at(750, NOW), NOW, LIMITS), 'impossible_jump');
    assert.equal(checkFix(prev, at(900, NOW, 250), NOW, LIMITS), null);
    // Jitter while parked, 10 ms apart, is not a teleport.
    assert.equal(checkFix(at(0, NOW - 10), at(30, NOW), NOW, LIMITS), null);
    // A long silence allows a long move: a phone that was off is not locked out.
    assert.equal(checkFix(at(0, NOW - 280_000), at(15_000, NOW), NOW, LIMITS), null);
  });
});

describe('estimateEta: great-circle × detour ÷ speed, floor one minute', () => {
  const S: EtaSettings = { detourFactor: 1.3, urbanSpeedKmh: 25, minPlausibleKmh: 8, maxPlausibleKmh: 130 };
  const from = { latitude: 15.5, longitude: 32.5 };
  const to = { latitude: 15.5 + 9_000 * DEG_PER_M, longitude: 32.5 };
  test('a plausible recent speed drives it; a stop or an absurd speed falls back to the urban default', () => {
    // 9 km × 1.3 = 11.7 km: 11.7 min at 60 km/h, 28.1 min at 25 km/h; rounded up.
    assert.deepEqual(estimateEta(from, to, 60, S), { distanceKm: 11.7, minutes: 12 });
    assert.deepEqual(estimateEta(from, to, 2, S), { distanceKm: 11.7, minutes: 29 });
    assert.deepEqual(estimateEta(from, to, 400, S), { distanceKm: 11.7, minutes: 29 });
    assert.deepEqual(estimateEta(from, to, undefined, S), { distanceKm: 11.7, minutes: 29 });
  });
  test('never under a minute', () => {
    assert.deepEqual(estimateEta(from, from, 30, S), { distanceKm: 0, minutes: 1 });
  });
});
