import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { ManualClock } from '../../src/core/clock.ts';
import { TRIP_TRANSITIONS } from '../../src/modules/trips/index.ts';
import type { TripStatus } from '../../src/protocol/index.ts';
import { connect, request, type Client } from '../helpers/client.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { placeDriver, SEED_REQUEST, TRIP_ENV } from './fixtures.ts';

/**
 * Model-based test: random sequences of request, accept, reject, cancel,
 * arrive, start, complete and reconnect, sent by real clients. After every
 * command the answer must match a small model of the rules; at the end, the
 * stored history of every trip must be legal by the transition table, with
 * at most one driver, and every state change must have reached the room.
 */
const DRIVERS = 3;
const NO_TRIP = '00000000-0000-4000-8000-000000000000';
const ACTIVE: readonly TripStatus[] = ['searching_driver', 'accepted', 'driver_arrived', 'in_progress'];

interface ModelTrip { id: string; status: TripStatus; driver: number | null; rejected: Set<number>; room: TripStatus[] }
interface Model { trip: ModelTrip | null; trips: string[] }

type Who = 'passenger' | 'admin' | number;
interface Real {
  server: TestServer;
  prefix: string;
  sockets: Map<Who, Client>;
  /** trip:updated statuses seen per trip, by the passenger (a party) and the admin (a member of the room). */
  seen: Record<'passenger' | 'admin', Map<string, TripStatus[]>>;
  /** The highest `_seq` each client has seen, given back as `auth.lastSeq` when it reconnects. */
  lastSeq: Map<Who, number>;
}

const driverId = (r: Real, d: number) => `${r.prefix}-d${d}`;
const userOf = (r: Real, who: Who) => (who === 'passenger' ? `${r.prefix}-p` : who === 'admin' ? `${r.prefix}-admin` : driverId(r, who));
const roleOf = (who: Who) => (who === 'passenger' ? 'passenger' : who === 'admin' ? 'admin' : 'driver');

async function open(r: Real, who: Who): Promise<void> {
  const token = await r.server.token(userOf(r, who), roleOf(who), { ttl: '24h' });
  // A returning client gives the last stream position it saw, as real clients do: what was in flight to
  // the socket it closed comes again (durable events of parties; the admin's room events are plain).
  const lastSeq = r.lastSeq.get(who);
  const socket = await connect(r.server.url, {
    token,
    ...(lastSeq !== undefined ? { auth: { token, lastSeq } } : {}),
    listen: (s) => {
      s.onAny((_event, payload: { _seq?: number } | undefined) => {
        if (typeof payload?._seq === 'number') r.lastSeq.set(who, Math.max(r.lastSeq.get(who) ?? 0, payload._seq));
      });
      if (who === 'passenger' || who === 'admin') {
        const seen = r.seen[who];
        s.on('trip:updated', ({ tripId, data }) => seen.set(tripId, [...(seen.get(tripId) ?? []), data.status]));
      }
    },
  });
  r.sockets.set(who, socket);
}

type Expect = { ok: true; next?: Partial<ModelTrip> } | { ok: false; codes: string[] };

/** Sends one event and checks the answer against the model's prediction; applies the predicted change. */
async function act(m: Model, r: Real, who: Who, event: string, payload: unknown, expect: Expect): Promise<void> {
  const answer = await request(r.sockets.get(who)!, event, payload, 10_000);
  const label = `${String(who)} ${event} while ${m.trip?.status ?? 'no trip'}`;
  if (!expect.ok) {
    assert.ok(!answer.success && expect.codes.includes(answer.error.code), `${label}: expected ${expect.codes.join('|')}, got ${JSON.stringify(answer)}`);
    return;
  }
  assert.ok(answer.success, `${label}: expected success, got ${JSON.stringify(answer)}`);
  const t = m.trip!;
  if (expect.next?.status && expect.next.status !== t.status) t.room.push(expect.next.status);
  Object.assign(t, expect.next);
  await eventually(() => {
    // The passenger is a party: trip changes reach every socket of theirs (durably), from the first one, joined or not.
    // The admin watches the room: it sees what happened after it joined.
    assert.deepEqual(r.seen.passenger.get(t.id) ?? [], ['searching_driver', ...t.room], `passenger of trip:${t.id}`);
    assert.deepEqual(r.seen.admin.get(t.id) ?? [], t.room, `admin in trip:${t.id}`);
  });
}

const tripIdOf = (m: Model) => m.trip?.id ?? NO_TRIP;
const refused = (m: Model, d: number | null): Expect => ({ ok: false, codes: [!m.trip ? 'NOT_FOUND' : m.trip.driver !== d ? 'FORBIDDEN' : 'INVALID_STATE'] });

class RequestCmd implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    const sock = r.sockets.get('passenger')!;
    if (m.trip && ACTIVE.includes(m.trip.status)) return act(m, r, 'passenger', 'trip_request', SEED_REQUEST, { ok: false, codes: ['ACTIVE_TRIP_EXISTS'] });
    const answer = await request<{ tripId: string; nearbyDriversCount: number }>(sock, 'trip_request', SEED_REQUEST, 10_000);
    assert.ok(answer.success && answer.data.nearbyDriversCount === DRIVERS, JSON.stringify(answer));
    m.trip = { id: answer.data.tripId, status: 'searching_driver', driver: null, rejected: new Set(), room: [] };
    m.trips.push(m.trip.id);
    for (const who of ['passenger', 'admin'] as const) assert.equal((await request(r.sockets.get(who)!, 'join_trip', { tripId: m.trip.id })).success, true);
  }
  toString = () => 'request';
}

class AcceptCmd implements fc.AsyncCommand<Model, Real> {
  constructor(readonly d: number) {}
  check = () => true;
  run(m: Model, r: Real) {
    const t = m.trip;
    let expect: Expect;
    if (!t) expect = { ok: false, codes: ['NOT_FOUND'] };
    else if (t.status === 'searching_driver') expect = t.rejected.has(this.d) ? { ok: false, codes: ['INVALID_STATE'] } : { ok: true, next: { status: 'accepted', driver: this.d } };
    else if (t.driver === this.d && ACTIVE.includes(t.status)) expect = { ok: true };
    else if (t.driver !== null && t.driver !== this.d) expect = { ok: false, codes: ['TRIP_ALREADY_ACCEPTED'] };
    else expect = { ok: false, codes: ['INVALID_STATE'] };
    return act(m, r, this.d, 'trip_accept', { tripId: tripIdOf(m) }, expect);
  }
  toString = () => `accept(d${this.d})`;
}

class RejectCmd implements fc.AsyncCommand<Model, Real> {
  constructor(readonly d: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const t = m.trip;
    const expect: Expect = !t ? { ok: false, codes: ['NOT_FOUND'] } : t.rejected.has(this.d) ? { ok: true } : t.status === 'searching_driver' ? { ok: true } : { ok: false, codes: ['INVALID_STATE'] };
    await act(m, r, this.d, 'trip_reject', { tripId: tripIdOf(m), reason: 'busy' }, expect);
    if (expect.ok) t!.rejected.add(this.d);
  }
  toString = () => `reject(d${this.d})`;
}

class CancelCmd implements fc.AsyncCommand<Model, Real> {
  constructor(readonly who: Who) {}
  check = () => true;
  run(m: Model, r: Real) {
    const t = m.trip;
    const allowed = this.who === 'passenger' ? TRIP_TRANSITIONS.cancel.from.passenger : this.who === 'admin' ? TRIP_TRANSITIONS.cancel.from.admin : TRIP_TRANSITIONS.cancel.from.assigned_driver;
    let expect: Expect;
    if (!t) expect = { ok: false, codes: ['NOT_FOUND'] };
    else if (typeof this.who === 'number' && t.driver !== this.who) expect = { ok: false, codes: ['FORBIDDEN'] };
    else expect = (allowed as readonly TripStatus[]).includes(t.status) ? { ok: true, next: { status: 'cancelled' } } : { ok: false, codes: ['INVALID_STATE'] };
    return act(m, r, this.who, 'trip_cancel', { tripId: tripIdOf(m), reason: 'model' }, expect);
  }
  toString = () => `cancel(${String(this.who)})`;
}

/**
 * driver_arrived, trip_started, trip_completed: the assigned driver, from one
 * status. `assigned` sends as the model's assigned driver (driver 0 when there
 * is none), so random sequences reach the end of a trip often enough.
 */
class DriverStepCmd implements fc.AsyncCommand<Model, Real> {
  constructor(readonly event: 'driver_arrived' | 'trip_started' | 'trip_completed', readonly who: number | 'assigned') {}
  check = () => true;
  run(m: Model, r: Real) {
    const d = this.who === 'assigned' ? (m.trip?.driver ?? 0) : this.who;
    const rule = { driver_arrived: TRIP_TRANSITIONS.arrive, trip_started: TRIP_TRANSITIONS.start, trip_completed: TRIP_TRANSITIONS.complete }[this.event];
    const t = m.trip;
    const expect: Expect = t && t.driver === d && (rule.from.assigned_driver as readonly TripStatus[]).includes(t.status) ? { ok: true, next: { status: rule.to } } : refused(m, d);
    const payload = this.event === 'trip_completed' ? { tripId: tripIdOf(m), actualDistance: 3.2, actualDuration: 9 } : { tripId: tripIdOf(m) };
    return act(m, r, d, this.event, payload, expect);
  }
  toString = () => `${this.event}(${this.who === 'assigned' ? 'assigned' : `d${this.who}`})`;
}

/** The next step of a normal trip, whatever the state: keeps random sequences moving towards the end of trips. */
class AdvanceCmd implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = () => true;
  run(m: Model, r: Real) {
    const t = m.trip;
    if (!t || !ACTIVE.includes(t.status)) return new RequestCmd().run(m, r);
    if (t.status === 'searching_driver') return new AcceptCmd(this.pick).run(m, r);
    const event = t.status === 'accepted' ? 'driver_arrived' : t.status === 'driver_arrived' ? 'trip_started' : 'trip_completed';
    return new DriverStepCmd(event, 'assigned').run(m, r);
  }
  toString = () => `advance(${this.pick})`;
}

class ReconnectCmd implements fc.AsyncCommand<Model, Real> {
  constructor(readonly who: Who) {}
  check = () => true;
  async run(m: Model, r: Real) {
    r.sockets.get(this.who)!.close();
    await open(r, this.who);
    // Room membership is per connection: a returning member joins again.
    if (m.trip && (this.who === 'passenger' || this.who === 'admin')) {
      assert.equal((await request(r.sockets.get(this.who)!, 'join_trip', { tripId: m.trip.id })).success, true);
    }
  }
  toString = () => `reconnect(${String(this.who)})`;
}

/** Every stored history is a path through the transition table, with at most one driver. */
async function checkHistories(r: Real, trips: string[]): Promise<void> {
  const rules: { to: TripStatus | null; from: Record<string, readonly TripStatus[]> }[] = Object.values(TRIP_TRANSITIONS);
  const legal = new Set(rules.flatMap((rule) => (rule.to ? Object.values(rule.from).flatMap((from) => from.map((f) => `${f}>${rule.to}`)) : [])));
  for (const id of trips) {
    const { body } = await r.server.api(`/api/trips/${id}`);
    const steps: { from: TripStatus | null; to: TripStatus }[] = body.statusHistory;
    assert.equal(steps[0]!.to, 'searching_driver');
    for (let i = 1; i < steps.length; i++) {
      assert.equal(steps[i]!.from, steps[i - 1]!.to, `trip ${id}: history is a chain`);
      assert.ok(legal.has(`${steps[i]!.from}>${steps[i]!.to}`), `trip ${id}: ${steps[i]!.from} → ${steps[i]!.to} is not in the table`);
    }
    assert.ok(steps.filter((s) => s.to === 'accepted').length <= 1, `trip ${id}: one driver at most`);
  }
}

describe('trip lifecycle against a model (fast-check, real clients)', () => {
  const clock = new ManualClock(Date.now());
  let server: TestServer;
  let run = 0;
  before(async () => (server = await startServer(TRIP_ENV, { clock })));
  after(() => server.close());

  test('only legal transitions, at most one driver per trip, every change reaches the room', async () => {
    const who = fc.constantFrom<Who>('passenger', 'admin', 0, 1, 2);
    const driver = fc.integer({ min: 0, max: DRIVERS - 1 });
    const step = (event: DriverStepCmd['event']) => fc.oneof({ arbitrary: fc.constant<'assigned'>('assigned'), weight: 3 }, { arbitrary: driver, weight: 1 }).map((d) => new DriverStepCmd(event, d));
    // `advance` (four entries) weighs the choice towards progress; illegal commands still come up often.
    const advance = driver.map((d) => new AdvanceCmd(d));
    const commands = [
      advance, advance, advance, advance,
      fc.constant(new RequestCmd()),
      driver.map((d) => new AcceptCmd(d)),
      driver.map((d) => new RejectCmd(d)),
      who.map((w) => new CancelCmd(w)),
      step('driver_arrived'),
      step('trip_started'),
      step('trip_completed'),
      who.map((w) => new ReconnectCmd(w)),
    ];
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 30, size: 'max' }), async (cmds) => {
        // Fresh users per run; earlier runs' drivers go stale and are never offered.
        clock.advance(61_000);
        const real: Real = { server, prefix: `m${++run}`, sockets: new Map(), seen: { passenger: new Map(), admin: new Map() }, lastSeq: new Map() };
        for (let d = 0; d < DRIVERS; d++) placeDriver(server, driverId(real, d), clock, 100 + d * 50);
        await Promise.all((['passenger', 'admin', 0, 1, 2] as Who[]).map((w) => open(real, w)));
        const model: Model = { trip: null, trips: [] };
        try {
          await fc.asyncModelRun(() => ({ model, real }), cmds);
          await checkHistories(real, model.trips);
        } finally {
          for (const s of real.sockets.values()) s.close();
        }
      }),
      { numRuns: 25, endOnFailure: true },
    );
  });
});
