import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { LinearGeoIndex, type DriverPoint, type GeoIndex, type NearbyQuery } from '../../src/state/geo-index.ts';
import { GridGeoIndex } from '../../src/state/grid-geo-index.ts';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const STALE_AFTER_MS = 60_000;
const TYPES = ['sedan', 'suv', 'van'] as const;

/** A region: a centre and how far points and queries stray from it (degrees). */
interface Region { name: string; lat: number; lon: number; spread: number; spots?: boolean }
const city: Region = { name: 'a city', lat: 15.5, lon: 32.55, spread: 0.3 };
const block: Region = { name: 'a dense district', lat: 15.5, lon: 32.55, spread: 0.02 };
const antimeridian: Region = { name: 'the antimeridian', lat: -17, lon: 179.9, spread: 0.5 };
const pole: Region = { name: 'near a pole', lat: 89.2, lon: 0, spread: 1.5 };
const globe: Region = { name: 'the whole globe', lat: 0, lon: 0, spread: 400 };
/** Drivers and queries on a few shared spots: many exact distance ties at every bound. */
const spots: Region = { name: 'a few shared spots (ties)', lat: 48.85, lon: 2.35, spread: 0.004, spots: true };

/**
 * Cell sizes and radii to try. `walk` forbids the scan fallback, so the ring
 * walk and its early stop run even on a few hundred drivers; radii there stay
 * within a few hundred cells so each query stays fast.
 */
const cases: { region: Region; cellSizeM: number; walk: boolean; maxRadiusM: number }[] = [
  ...[city, block, antimeridian, pole, globe].map((region) => ({ region, cellSizeM: 100, walk: false, maxRadiusM: 3_000_000 })),
  ...[city, block, antimeridian].map((region) => ({ region, cellSizeM: 250, walk: true, maxRadiusM: 6_000 })),
  ...[city, block, antimeridian].map((region) => ({ region, cellSizeM: 400, walk: true, maxRadiusM: 6_000 })),
  { region: block, cellSizeM: 50, walk: true, maxRadiusM: 3_000 },
  { region: spots, cellSizeM: 250, walk: true, maxRadiusM: 2_000 },
  ...[city, antimeridian, pole, globe].map((region) => ({ region, cellSizeM: 20_000, walk: true, maxRadiusM: 400_000 })),
];

/** Uniform offsets (fast-check's doubles crowd around 0 and the extremes), plus those edge cases now and then. */
const offset = (spread: number, spots = false) => spots ? fc.constantFrom(-spread, -spread / 4, 0, spread / 2) : fc.oneof(
  { arbitrary: fc.integer({ min: -1_000_000, max: 1_000_000 }).map((i) => (i / 1_000_000) * spread), weight: 9 },
  { arbitrary: fc.double({ min: -spread, max: spread, noNaN: true }), weight: 1 },
);

const clampLat = (x: number) => Math.max(-90, Math.min(90, x));
const wrapLon = (x: number) => ((((x + 180) % 360) + 360) % 360) - 180;

function pointArb(region: Region, ids: number) {
  return fc.record({
    id: fc.integer({ min: 0, max: ids - 1 }),
    dLat: offset(region.spread, region.spots),
    dLon: offset(region.spread, region.spots),
    ageMs: fc.integer({ min: 0, max: 2 * STALE_AFTER_MS }),
    isAvailable: fc.boolean(),
    type: fc.constantFrom(...TYPES),
  }).map((r): DriverPoint => ({
    driverId: `d${String(r.id).padStart(4, '0')}`,
    latitude: clampLat(region.lat + r.dLat),
    longitude: wrapLon(region.lon + r.dLon),
    at: NOW - r.ageMs,
    isAvailable: r.isAvailable,
    vehicleType: r.type,
  }));
}

type Op = { kind: 'upsert'; p: DriverPoint } | { kind: 'availability'; id: string; available: boolean } | { kind: 'remove'; id: string };

function opsArb(region: Region) {
  const ids = 300;
  const upsert = pointArb(region, ids).map((p): Op => ({ kind: 'upsert', p }));
  const availability = fc.record({ id: fc.integer({ min: 0, max: ids - 1 }), available: fc.boolean() })
    .map(({ id, available }): Op => ({ kind: 'availability', id: `d${String(id).padStart(4, '0')}`, available }));
  const remove = fc.integer({ min: 0, max: ids - 1 }).map((id): Op => ({ kind: 'remove', id: `d${String(id).padStart(4, '0')}` }));
  return fc.array(fc.oneof({ arbitrary: upsert, weight: 8 }, { arbitrary: availability, weight: 1 }, { arbitrary: remove, weight: 1 }), { minLength: 50, maxLength: 600, size: 'max' });
}

function queryArb(region: Region, maxRadiusM: number) {
  return fc.record({
    dLat: offset(region.spread, region.spots),
    dLon: offset(region.spread, region.spots),
    radiusM: fc.oneof(fc.integer({ min: 0, max: Math.min(2_000, maxRadiusM) }), fc.integer({ min: 0, max: Math.min(60_000, maxRadiusM) }), fc.integer({ min: 0, max: maxRadiusM })),
    limit: fc.integer({ min: 0, max: 60 }),
    availableOnly: fc.boolean(),
    vehicleType: fc.option(fc.constantFrom(...TYPES), { nil: undefined }),
  }).map((r): NearbyQuery => ({
    latitude: clampLat(region.lat + r.dLat),
    longitude: wrapLon(region.lon + r.dLon),
    radiusM: r.radiusM,
    limit: r.limit,
    freshSince: NOW - STALE_AFTER_MS,
    availableOnly: r.availableOnly,
    vehicleType: r.vehicleType,
  }));
}

function apply(index: GeoIndex, ops: Op[]): void {
  for (const op of ops) {
    if (op.kind === 'upsert') index.upsert(op.p);
    else if (op.kind === 'availability') index.setAvailability(op.id, op.available);
    else index.remove(op.id);
  }
}

describe('GridGeoIndex against the brute-force oracle (LinearGeoIndex)', () => {
  for (const { region, cellSizeM, walk, maxRadiusM } of cases) {
    test(`same drivers in the same order — ${region.name}, ${cellSizeM} m cells${walk ? ', cells always walked' : ''}`, () => {
      fc.assert(
        fc.property(opsArb(region), fc.array(queryArb(region, maxRadiusM), { minLength: 1, maxLength: 8 }), (ops, queries) => {
          const grid = new GridGeoIndex({ cellSizeM, scanWhenCheaper: !walk });
          const oracle = new LinearGeoIndex();
          apply(grid, ops);
          apply(oracle, ops);
          assert.equal(grid.size, oracle.size);
          for (const q of queries) {
            const got = grid.nearby(q);
            const want = oracle.nearby(q);
            assert.deepEqual(got.map((d) => d.driverId), want.map((d) => d.driverId));
            assert.deepEqual(got.map((d) => d.distanceM), want.map((d) => d.distanceM));
            assert.ok(got.length <= q.limit);
            for (const d of got) {
              assert.ok(d.distanceM <= q.radiusM, 'inside the radius');
              assert.ok(d.at >= q.freshSince, 'fresh only');
              if (q.availableOnly) assert.ok(d.isAvailable, 'available only');
              if (q.vehicleType) assert.equal(d.vehicleType, q.vehicleType);
            }
          }
        }),
        { numRuns: 60 },
      );
    });
  }

  test('moves are reflected at once and removed drivers are gone', () => {
    const grid = new GridGeoIndex();
    const base = { at: NOW, isAvailable: true, vehicleType: 'sedan' };
    grid.upsert({ driverId: 'a', latitude: 15.5, longitude: 32.55, ...base });
    grid.upsert({ driverId: 'b', latitude: 15.51, longitude: 32.55, ...base });
    const q: NearbyQuery = { latitude: 15.5, longitude: 32.55, radiusM: 5_000, limit: 10, freshSince: NOW - STALE_AFTER_MS, availableOnly: true };
    assert.deepEqual(grid.nearby(q).map((d) => d.driverId), ['a', 'b']);
    grid.upsert({ driverId: 'a', latitude: 15.6, longitude: 32.55, ...base }); // 11 km away now
    assert.deepEqual(grid.nearby(q).map((d) => d.driverId), ['b']);
    grid.setAvailability('b', false);
    assert.deepEqual(grid.nearby(q), []);
    assert.deepEqual(grid.nearby({ ...q, availableOnly: false }).map((d) => d.driverId), ['b']);
    grid.remove('b');
    assert.equal(grid.get('b'), undefined);
    assert.equal(grid.size, 1);
  });

  test('prune drops positions older than the cut-off', () => {
    const grid = new GridGeoIndex();
    grid.upsert({ driverId: 'old', latitude: 1, longitude: 1, at: NOW - 600_000, isAvailable: true });
    grid.upsert({ driverId: 'new', latitude: 1, longitude: 1, at: NOW, isAvailable: true });
    assert.equal(grid.prune(NOW - 300_000), 1);
    assert.deepEqual([grid.get('old'), grid.get('new')?.driverId], [undefined, 'new']);
  });
});
