import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { createLocationHistory, type HistoryRow, type LocationHistory, type TrackPoint } from '../../src/modules/locations/index.ts';
import { distanceM } from '../../src/core/geo.ts';
import type { Database } from '../../src/storage/index.ts';
import { migrate } from '../../src/storage/migrate.ts';
import { openPglite } from '../../src/storage/pglite.ts';
import { openPostgres } from '../../src/storage/postgres.ts';
import { startPostgres } from '../helpers/postgres.ts';
import { DEG_PER_M } from './fixtures.ts';

const log = pino({ level: 'silent' });
const T0 = Date.parse('2026-03-01T08:00:00Z');

/** A driver heading north at 10 m/s, one fix a second. */
const track = (driverId: string, n: number, vehicleId: string | null = null, start = T0): HistoryRow[] =>
  Array.from({ length: n }, (_, i) => ({ driverId, vehicleId, at: start + i * 1000, latitude: 15.5 + i * 10 * DEG_PER_M, longitude: 32.55, speed: 36, heading: 0, accuracy: 5 }));

/**
 * The history store's contract, run on PGlite and on a real PostgreSQL: the
 * same SQL, the same answers, and range queries served by the index.
 */
function contract(name: string, open: () => Promise<Database>): void {
  describe(name, () => {
    let db: Database;
    let history: LocationHistory;
    /** Rows per INSERT statement the writer sent. */
    const inserts: number[] = [];
    before(async () => {
      db = await open();
      await migrate(db);
      const counting: Database = {
        ...db,
        query: (sql, params) => {
          if (sql.trimStart().startsWith('INSERT INTO location_history')) inserts.push((params![0] as unknown[]).length);
          return db.query(sql, params);
        },
      };
      history = createLocationHistory({ db: counting, settings: { flushMs: 60_000, batchRows: 700, maxBuffered: 100_000 }, log });
      for (const row of track('h-long', 5_000)) history.writer.add(row);
      for (const row of track('h-car', 300, 'v-1')) history.writer.add(row);
      for (let d = 0; d < 50; d++) for (const row of track(`h-other-${d}`, 100)) history.writer.add(row);
      await history.writer.flush();
    });
    after(() => db.close());

    test('batched writes land, one multi-row INSERT per batch of at most LOCATION_HISTORY_BATCH rows', async () => {
      const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM location_history');
      assert.equal(Number(rows[0]!.n), 5_000 + 300 + 50 * 100);
      assert.equal(inserts.reduce((a, b) => a + b, 0), 10_300);
      assert.ok(inserts.every((n) => n <= 700), inserts.join());
      assert.ok(inserts.length <= Math.ceil(10_300 / 700) + 1, `${inserts.length} statements`);
      assert.equal(history.writer.pending, 0);
    });

    test('a range is inclusive at both ends and in time order', async () => {
      const { points, next } = await history.read({ driverId: 'h-long' }, { from: T0 + 10_000, to: T0 + 19_000, limit: 100 });
      assert.deepEqual(points.map((p) => p.at), Array.from({ length: 10 }, (_, i) => T0 + 10_000 + i * 1000));
      assert.equal(next, null);
      assert.deepEqual(Object.keys(points[0]!).sort(), ['accuracy', 'at', 'heading', 'latitude', 'longitude', 'speed']);
      assert.equal(points[0]!.speed, 36);
    });

    test('limit and next walk a long range (across the 2,000-row pages) with no gap and no repeat', async () => {
      const seen: TrackPoint[] = [];
      let from = T0;
      for (let guard = 0; guard < 10; guard++) {
        const { points, next } = await history.read({ driverId: 'h-long' }, { from, to: T0 + 10_000_000, limit: 1_500 });
        seen.push(...points);
        if (next === null) break;
        from = next;
      }
      assert.equal(seen.length, 5_000);
      assert.deepEqual(seen.map((p) => p.at), track('h-long', 5_000).map((r) => r.at));
    });

    test('thinning for replay: minimum spacing in metres, in seconds, or both', async () => {
      const range = { from: T0, to: T0 + 99_000, limit: 1_000 };
      const byDistance = await history.read({ driverId: 'h-long' }, { ...range, minDistanceM: 95 });
      // 10 m per fix: every tenth fix is at least 95 m from the last kept one.
      assert.deepEqual(byDistance.points.map((p) => (p.at - T0) / 1000), [0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
      for (let i = 1; i < byDistance.points.length; i++) {
        const [a, b] = [byDistance.points[i - 1]!, byDistance.points[i]!];
        assert.ok(distanceM(a.latitude, a.longitude, b.latitude, b.longitude) >= 95);
      }
      const byTime = await history.read({ driverId: 'h-long' }, { ...range, minIntervalS: 30 });
      assert.deepEqual(byTime.points.map((p) => (p.at - T0) / 1000), [0, 30, 60, 90]);
      const both = await history.read({ driverId: 'h-long' }, { ...range, minIntervalS: 30, minDistanceM: 450 });
      assert.deepEqual(both.points.map((p) => (p.at - T0) / 1000), [0, 45, 90]);
    });

    test('a driver fix on a vehicle is in both histories; other subjects never leak in', async () => {
      const range = { from: T0, to: T0 + 3_600_000, limit: 10_000 };
      const byVehicle = await history.read({ vehicleId: 'v-1' }, range);
      const byDriver = await history.read({ driverId: 'h-car' }, range);
      assert.equal(byVehicle.points.length, 300);
      assert.deepEqual(byVehicle.points, byDriver.points);
      assert.deepEqual((await history.read({ driverId: 'nobody' }, range)).points, []);
    });

    test('trackDistanceKm sums the recorded track, fixes still in the buffer included', async () => {
      assert.equal(await history.tracks.trackDistanceKm('h-long', T0, T0 + 100_000), 1);
      for (const row of track('h-buffered', 11, null, T0 + 500_000)) history.writer.add(row);
      assert.ok(history.writer.pending > 0);
      assert.equal(await history.tracks.trackDistanceKm('h-buffered', T0, T0 + 600_000), 0.1);
      assert.equal(await history.tracks.trackDistanceKm('nobody', T0, T0 + 600_000), null);
    });

    test('range queries are served by the (driver_id, recorded_at) and (vehicle_id, recorded_at) indexes', async () => {
      await db.exec('ANALYZE location_history');
      const plan = async (column: string, id: string) => {
        const { rows } = await db.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN SELECT recorded_at, latitude, longitude FROM location_history WHERE ${column} = '${id}' AND recorded_at >= '2026-03-01T08:10:00Z' AND recorded_at <= '2026-03-01T08:20:00Z' ORDER BY recorded_at LIMIT 2000`,
        );
        return rows.map((r) => Object.values(r)[0]).join('\n');
      };
      assert.match(await plan('driver_id', 'h-long'), /Index Scan (using|on) location_history_driver_idx/);
      assert.match(await plan('vehicle_id', 'v-1'), /Index Scan (using|on) location_history_vehicle_idx/);
    });

    test('a failed flush keeps the rows for the next one; a full queue drops and counts the oldest rows', async () => {
      let failing = true;
      let dropped = 0;
      const flaky: Database = { ...db, query: (sql, params) => (failing && sql.startsWith('INSERT') ? Promise.reject(new Error('down')) : db.query(sql, params)) };
      const small = createLocationHistory({ db: flaky, settings: { flushMs: 60_000, batchRows: 100, maxBuffered: 25 }, log, observer: { dropped: (n) => (dropped += n) } });
      for (const row of track('h-flaky', 30, null, T0 + 900_000)) small.writer.add(row);
      assert.equal(dropped, 5);
      await small.writer.flush();
      assert.equal(small.writer.pending, 25);
      failing = false;
      await small.writer.flush();
      assert.equal(small.writer.pending, 0);
      const { points } = await small.read({ driverId: 'h-flaky' }, { from: T0, to: T0 + 2_000_000, limit: 100 });
      assert.deepEqual(points.map((p) => p.at), track('h-flaky', 30, null, T0 + 900_000).slice(5).map((r) => r.at), 'the newest 25 kept');
    });

    test('while the database stays down the queue keeps the newest rows; every statement is reported', async () => {
      let failing = true;
      let dropped = 0;
      const batches: { rows: number; ok: boolean }[] = [];
      const flaky: Database = { ...db, query: (sql, params) => (failing && sql.startsWith('INSERT') ? Promise.reject(new Error('down')) : db.query(sql, params)) };
      const small = createLocationHistory({
        db: flaky, settings: { flushMs: 60_000, batchRows: 10, maxBuffered: 25 }, log,
        observer: { dropped: (n) => (dropped += n), batch: (rows, seconds, ok) => (assert.ok(seconds >= 0), batches.push({ rows, ok })) },
      });
      const rows = track('h-outage', 40, null, T0 + 1_900_000);
      for (const row of rows.slice(0, 20)) small.writer.add(row);
      await small.writer.flush();
      for (const row of rows.slice(20)) small.writer.add(row);
      await small.writer.flush();
      assert.equal(small.writer.pending, 25);
      assert.equal(dropped, 15);
      failing = false;
      await small.writer.flush();
      assert.equal(small.writer.pending, 0);
      const { points } = await small.read({ driverId: 'h-outage' }, { from: T0, to: T0 + 3_000_000, limit: 100 });
      assert.deepEqual(points.map((p) => p.at), rows.slice(15).map((r) => r.at), 'the newest 25, in time order');
      assert.deepEqual(batches.filter((b) => b.ok).map((b) => b.rows), [10, 10, 5]);
      assert.ok(batches.filter((b) => !b.ok).length >= 2);
    });
  });
}

contract('location history: PGlite', () => openPglite('memory'));

const server = await startPostgres();
describe('location history: PostgreSQL', { skip: server ? false : 'PostgreSQL binaries not found (see the warning above); CI=true fails instead of skipping' }, () => {
  after(() => server?.stop());
  contract('PostgreSQL 15', async () => openPostgres(server!.url, 5));
});
