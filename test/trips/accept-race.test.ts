import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { systemClock } from '../../src/core/clock.ts';
import { request, type Client } from '../helpers/client.ts';
import { freshDatabase, startCluster, type TestCluster } from '../helpers/cluster.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { placeDriver, SEED_REQUEST, TRIP_ENV } from './fixtures.ts';

const DRIVERS = 50;
const ROUNDS = 20;
const ENV = { ...TRIP_ENV, TRIP_OFFERS_PER_WAVE: String(DRIVERS + 10) };

interface Seen { tripId: string; [k: string]: unknown }

/** Records every payload of `event` per socket, for counting per trip. */
function record(sockets: Client[], event: string): Seen[][] {
  return sockets.map((s) => {
    const seen: Seen[] = [];
    (s.on as (ev: string, fn: (p: Seen) => void) => void)(event, ({ _seq: _, ...p }) => seen.push(p as Seen));
    return seen;
  });
}

/**
 * One round: a trip is offered to every driver, all of them accept at once,
 * exactly one wins, every loser is told why and hears trip_unavailable; then
 * an admin cancels so the next round starts clean.
 */
async function raceRound(opts: { passenger: Client; drivers: Client[]; servers: TestServer[]; admin: TestServer; round: number; offers: Seen[][]; unavailable: Seen[][]; accepted: Seen[] }) {
  const { passenger, drivers, servers } = opts;
  for (const server of servers) for (let i = 0; i < drivers.length; i++) placeDriver(server, `race-d${i}`, systemClock, 50 + i * 10);
  const asked = await request<{ tripId: string; nearbyDriversCount: number }>(passenger, 'trip_request', SEED_REQUEST, 10_000);
  assert.ok(asked.success, JSON.stringify(asked));
  const { tripId, nearbyDriversCount } = asked.data;
  assert.equal(nearbyDriversCount, drivers.length);
  await eventually(() => assert.ok(opts.offers.every((o) => o.some((p) => p.tripId === tripId)), 'every driver has the offer'), 10_000);

  const answers = await Promise.all(drivers.map((d) => request<unknown>(d, 'trip_accept', { tripId }, 15_000)));
  const winners = answers.flatMap((a, i) => (a.success ? [i] : []));
  assert.equal(winners.length, 1, `round ${opts.round}: exactly one winner, got ${winners.length}`);
  const losers = answers.filter((a) => !a.success).map((a) => (a.success ? '' : a.error.code));
  assert.deepEqual([...new Set(losers)], ['TRIP_ALREADY_ACCEPTED'], `round ${opts.round}: every loser is told why`);
  const winner = winners[0]!;
  await eventually(() => {
    for (let i = 0; i < drivers.length; i++) {
      const heard = opts.unavailable[i]!.filter((p) => p.tripId === tripId);
      assert.deepEqual(heard, i === winner ? [] : [{ tripId, reason: 'accepted_by_another_driver' }], `driver ${i}`);
    }
    assert.deepEqual(opts.accepted.filter((p) => p.tripId === tripId).map((p) => p.driverId), [`race-d${winner}`]);
  }, 10_000);
  const { body } = await opts.admin.api(`/api/trips/${tripId}`);
  assert.equal(body.driverId, `race-d${winner}`);
  assert.equal(body.statusHistory.filter((h: { to: string }) => h.to === 'accepted').length, 1);
  const cancelled = await opts.admin.api(`/api/trips/${tripId}/cancel`, { body: { reason: `round ${opts.round} done` } });
  assert.equal(cancelled.status, 200);
}

// Sequentially, before the suites: freshDatabase() starts one shared server lazily and is not safe to call concurrently.
const databaseUrl = await freshDatabase();
const cluster: TestCluster | null = await startCluster(2, ENV);

describe(`${DRIVERS} concurrent trip_accept per trip on PostgreSQL, ${ROUNDS} trips`, () => {
  const skip = databaseUrl ? false : 'PostgreSQL binaries not found (see the warning above); CI=true fails instead of skipping';
  let server: TestServer;
  let passenger: Client;
  let drivers: Client[];
  before(async () => {
    if (!databaseUrl) return;
    server = await startServer({ ...ENV, DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: '20' });
    passenger = await server.client('race-p', 'passenger');
    drivers = await Promise.all(Array.from({ length: DRIVERS }, (_, i) => server.client(`race-d${i}`, 'driver')));
  });
  after(() => server?.close());

  test('exactly one winner every time, every loser told why', { skip }, async () => {
    const offers = record(drivers, 'new_trip_available');
    const unavailable = record(drivers, 'trip_unavailable');
    const [accepted] = record([passenger], 'trip_accepted');
    for (let round = 0; round < ROUNDS; round++) {
      await raceRound({ passenger, drivers, servers: [server], admin: server, round, offers, unavailable, accepted: accepted! });
    }
  });

  test('concurrent requests by one passenger: the partial unique index lets one through', { skip }, async () => {
    const sockets = [passenger, ...(await Promise.all(Array.from({ length: 4 }, () => server.client('race-p', 'passenger'))))];
    const answers = await Promise.all(sockets.flatMap((s) => [request(s, 'trip_request', SEED_REQUEST, 10_000), request(s, 'trip_request', SEED_REQUEST, 10_000)]));
    const ok = answers.filter((a) => a.success);
    assert.equal(ok.length, 1);
    assert.deepEqual([...new Set(answers.filter((a) => !a.success).map((a) => (a.success ? '' : a.error.code)))], ['ACTIVE_TRIP_EXISTS']);
  });
});

describe(`${DRIVERS} concurrent trip_accept across two nodes (shared Redis and PostgreSQL), ${ROUNDS} trips`, () => {
  const skip = cluster ? false : 'redis-server or PostgreSQL not found (see the warning above); CI=true fails instead of skipping';
  after(() => cluster?.close());

  test('exactly one winner every time, wherever the drivers are connected', { skip }, async () => {
    const [a, b] = cluster!.nodes as [TestServer, TestServer];
    const passenger = await a.client('race-p', 'passenger');
    // Half the drivers on each node; offers, answers and trip_unavailable cross nodes through the adapter.
    const drivers = await Promise.all(Array.from({ length: DRIVERS }, (_, i) => (i % 2 ? b : a).client(`race-d${i}`, 'driver')));
    const offers = record(drivers, 'new_trip_available');
    const unavailable = record(drivers, 'trip_unavailable');
    const [accepted] = record([passenger], 'trip_accepted');
    for (let round = 0; round < ROUNDS; round++) {
      await raceRound({ passenger, drivers, servers: [a, b], admin: round % 2 ? b : a, round, offers, unavailable, accepted: accepted! });
    }
  });
});
