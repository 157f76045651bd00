import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { UnavailableError } from '../../src/core/errors.ts';
import { DataDirInUseError, type Database } from '../../src/storage/index.ts';
import { openPglite } from '../../src/storage/pglite.ts';
import { threadOf } from '../../src/storage/pglite-thread.ts';

/** A promise and the function that resolves it. */
function latch(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('PGlite in its own thread', () => {
  let db: Database;
  before(async () => {
    db = await openPglite('memory');
    await db.exec(`CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL CONSTRAINT items_name_key UNIQUE);
      CREATE TABLE types (i8 bigint, ts timestamptz, d date, b bytea, j jsonb, js json, arr integer[], tarr text[], n numeric, f float8, bool boolean, t text, u uuid)`);
  });
  after(() => db.close());

  test('a transaction is held across messages, and a plain query waits behind it', async () => {
    const inside = latch();
    const release = latch();
    const order: string[] = [];
    const tx = db.transaction(async (t) => {
      await t.query('INSERT INTO items VALUES ($1, $2)', [1, 'first']);
      inside.open();
      await release.promise;
      await t.query('INSERT INTO items VALUES ($1, $2)', [2, 'second']);
      order.push('tx done');
      return 'committed';
    });
    await inside.promise;
    const outside = db.query<{ n: number }>('SELECT count(*)::int AS n FROM items').then((r) => {
      order.push('outside');
      return r.rows[0]!.n;
    });
    // The thread answers other work meanwhile: only the plain query is held.
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(order, [], 'the plain query waits for the open transaction');
    release.open();
    assert.equal(await tx, 'committed');
    assert.equal(await outside, 2, 'it runs after COMMIT and sees both rows');
    assert.deepEqual(order, ['tx done', 'outside']);
  });

  test('a throwing transaction rolls back across the thread and rethrows the same error', async () => {
    const boom = new Error('boom');
    await assert.rejects(db.transaction(async (t) => {
      await t.query('INSERT INTO items VALUES (10, $1)', ['doomed']);
      throw boom;
    }), (err) => err === boom);
    assert.deepEqual((await db.query('SELECT id FROM items WHERE id = 10')).rows, []);
  });

  test('PostgreSQL errors keep code, constraint, detail and message across the thread', async () => {
    const unique = (err: unknown) => {
      const e = err as { code?: string; constraint?: string; detail?: string; message: string; table?: string };
      assert.ok(err instanceof Error);
      assert.equal(e.code, '23505');
      assert.equal(e.constraint, 'items_name_key');
      assert.equal(e.table, 'items');
      assert.match(e.detail ?? '', /Key \(name\)=\(first\) already exists/);
      assert.match(e.message, /duplicate key value violates unique constraint "items_name_key"/);
      return true;
    };
    await assert.rejects(db.query('INSERT INTO items VALUES (20, $1)', ['first']), unique);
    await assert.rejects(db.transaction((t) => t.query('INSERT INTO items VALUES (21, $1)', ['first'])), unique);
    await assert.rejects(db.query('SELECT no_such_column FROM items'), (err) => (err as { code?: string }).code === '42703');
    await assert.rejects(db.exec('SELECT 1/0'), (err) => (err as { code?: string }).code === '22012');
  });

  test('parameters and results keep their types as on an in-thread PGlite', async () => {
    const inThread = await openPglite('memory', { thread: 'main' });
    try {
      const params = [
        1234567890123456789n, new Date('2026-03-04T05:06:07.089Z'), '2026-03-04', Buffer.from([0, 1, 2, 255]),
        { nested: { list: [1, 'two', null], at: '2026-01-01' } }, JSON.stringify([1, { a: 'b' }]), [1, 2, 3], ['a', 'b "quoted"'], '12.50', 0.25, true, 'tëxt\n',
        '0b7e7f0c-5a1b-4c1e-9d3a-2c3f6f1a9e10',
      ];
      const sql = 'INSERT INTO types VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING *';
      await inThread.exec('CREATE TABLE types (i8 bigint, ts timestamptz, d date, b bytea, j jsonb, js json, arr integer[], tarr text[], n numeric, f float8, bool boolean, t text, u uuid)');
      const [threaded, local] = await Promise.all([db.query(sql, params), inThread.query(sql, params)]);
      assert.deepEqual(threaded, local);
      const row = threaded.rows[0] as Record<string, unknown>;
      assert.equal(row.i8, '1234567890123456789', 'bigint comes back as a string, as pg returns it');
      assert.ok(row.ts instanceof Date && row.ts.toISOString() === '2026-03-04T05:06:07.089Z');
      assert.ok(row.b instanceof Uint8Array);
      assert.deepEqual([...(row.b as Uint8Array)], [0, 1, 2, 255]);
      assert.deepEqual(row.j, params[4]);
      assert.deepEqual(row.arr, [1, 2, 3]);
      const nulls = 'SELECT NULL::bigint AS a, NULL::jsonb AS b, count(*) AS c, now() > $1::timestamptz AS later FROM types';
      assert.deepEqual(await db.query(nulls, [new Date(0)]), await inThread.query(nulls, [new Date(0)]));
    } finally {
      await inThread.close();
    }
  });

  test('the event loop keeps running while the thread works', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      await db.query('SELECT sum(x) FROM generate_series(1, 500000) AS x');
    } finally {
      clearInterval(timer);
    }
    assert.ok(ticks >= 3, `timers ran ${ticks} times during a long query`);
  });
});

describe('PGlite thread lifecycle', () => {
  test('close runs the queries already sent, then refuses new ones', async () => {
    const db = await openPglite('memory');
    await db.exec('CREATE TABLE q (n integer)');
    const queued = Array.from({ length: 20 }, (_, i) => db.query('INSERT INTO q VALUES ($1) RETURNING n', [i]));
    const open = db.transaction(async (t) => {
      await new Promise((r) => setTimeout(r, 50));
      return (await t.query('SELECT count(*)::int AS n FROM q')).rows[0];
    });
    await db.close();
    assert.deepEqual((await Promise.all(queued)).map((r) => r.rows[0]), Array.from({ length: 20 }, (_, n) => ({ n })));
    assert.deepEqual(await open, { n: 20 });
    await assert.rejects(db.query('SELECT 1'), /closed/);
    assert.equal(await db.ping(), false);
    await db.close();
  });

  test('a thread that dies fails every pending and later call with UnavailableError, and ping is false', async () => {
    const db = await openPglite('memory');
    const worker = threadOf.get(db)!;
    const inFlight = db.query('SELECT pg_sleep(5)');
    const unavailable = (err: unknown) => {
      assert.ok(err instanceof UnavailableError, `expected UnavailableError, got ${String(err)}`);
      assert.match(err.message, /database unavailable: the PGlite thread exited unexpectedly/);
      return true;
    };
    await worker.terminate(); // what an abort in the WebAssembly engine looks like from outside
    await assert.rejects(inFlight, unavailable);
    await assert.rejects(db.query('SELECT 1'), unavailable);
    await assert.rejects(db.transaction((t) => t.query('SELECT 1')), unavailable);
    assert.equal(await db.ping(), false);
    await db.close();
  });

  test('a directory is initialised once, reopened with its data, and locked to this process while open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'livegate-pglite-thread-'));
    try {
      const first = await openPglite(dir);
      await first.exec("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
      await assert.rejects(openPglite(dir), DataDirInUseError);
      await first.close();
      const second = await openPglite(dir);
      try {
        assert.deepEqual((await second.query('SELECT v FROM kept')).rows, [{ v: 'still here' }]);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
