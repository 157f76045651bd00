// @ts-check
/**
 * The PGlite thread (started by pglite-thread.ts). Plain JavaScript on
 * purpose: it runs without tsx's loader, so the thread carries no TypeScript
 * compiler, only PGlite. Messages are `{ id, op, ... }`; every one is
 * answered `{ id, ok: true, value }` or `{ id, ok: false, error }`.
 *
 * Messages are handled concurrently, as calls on an in-thread PGlite would
 * be: PGlite's own mutex orders them, and a plain query waits behind an open
 * transaction (`db.transaction` holds it until `commit` or `rollback`).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';

// Baseline (Liftoff) code only, compiled for the functions that run: eager
// optimised (TurboFan) code for all of PostgreSQL cost ~40 MB of RSS for no
// measurable gain on the gateway's short queries. Set before PGlite compiles
// its module; V8 flags are process-wide, and the only other WebAssembly in
// the process is undici's HTTP parser.
setFlagsFromString('--liftoff-only');
setFlagsFromString('--wasm-lazy-compilation');
const { PGlite, types } = await import('@electric-sql/pglite');

/** @type {{ dataDir?: string, postgresqlconf: string[] }} */
const settings = workerData;
const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);

/** Fields of a PostgreSQL error worth carrying across: callers branch on `code` and `constraint`. */
const ERROR_FIELDS = ['name', 'message', 'code', 'detail', 'hint', 'constraint', 'schema', 'table', 'column', 'dataType', 'severity', 'position', 'internalPosition', 'internalQuery', 'where', 'file', 'line', 'routine', 'query'];

/** @param {unknown} err */
function serializeError(err) {
  const source = /** @type {Record<string, unknown>} */ (err instanceof Error ? err : { message: String(err) });
  /** @type {Record<string, unknown>} */
  const out = { stack: err instanceof Error ? err.stack : undefined };
  for (const key of ERROR_FIELDS) if (typeof source[key] === 'string') out[key] = source[key];
  return out;
}

/**
 * The command tag's count, as `pg` reports it (as pglite-in-thread.ts does).
 * @param {{ rows: unknown[], affectedRows?: number, rowCount?: number }} res
 */
const toResult = (res) => ({ rows: res.rows, rowCount: res.rowCount ?? res.affectedRows ?? res.rows.length });

const ROLLBACK = Symbol('rollback');

const db = await PGlite.create({
  ...(settings.dataDir ? { dataDir: settings.dataDir } : {}),
  postgresqlconf: settings.postgresqlconf,
  // bigint (count(*), bigserial) as a string, as `pg` returns it; PGlite's
  // default (a number, or a BigInt past 2^53) would differ from production.
  parsers: { [types.INT8]: (/** @type {string} */ value) => value },
});

// Start-up garbage (PGlite's file-system bundle, and initdb's whole heap in
// memory mode) is otherwise kept until memory pressure: one full collection
// once start-up has unwound returns ~300 MB to the OS.
setFlagsFromString('--expose-gc');
setTimeout(/** @type {() => void} */ (runInNewContext('gc')), 1000).unref();

{
  /** @type {Map<number, { tx: import('@electric-sql/pglite').Transaction, finish: (commit: boolean) => void, done: Promise<unknown> }>} */
  const open = new Map();
  /** @type {Set<Promise<unknown>>} */
  const inFlight = new Set();
  let nextTx = 1;

  /** @param {number} id */
  const txOf = (id) => {
    const entry = open.get(id);
    if (!entry) throw new Error('Transaction is closed');
    return entry;
  };

  async function begin() {
    /** @type {(commit: boolean) => void} */
    let finish = () => undefined;
    const outcome = new Promise((resolve, reject) => (finish = (commit) => (commit ? resolve(undefined) : reject(ROLLBACK))));
    /** @type {(tx: import('@electric-sql/pglite').Transaction) => void} */
    let started = () => undefined;
    const begun = new Promise((resolve) => (started = resolve));
    const done = db.transaction(async (tx) => {
      started(tx);
      await outcome;
    });
    // BEGIN itself can fail (a closed database): then `done` settles first.
    const tx = await Promise.race([begun, done.then(() => undefined)]);
    if (!tx) throw new Error('BEGIN failed');
    const id = nextTx++;
    open.set(id, { tx: /** @type {import('@electric-sql/pglite').Transaction} */ (tx), finish, done });
    return id;
  }

  /** @param {number} id @param {boolean} commit */
  async function end(id, commit) {
    const entry = txOf(id);
    open.delete(id);
    entry.finish(commit);
    await entry.done.catch((err) => {
      if (err !== ROLLBACK) throw err;
    });
  }

  /** @param {{ id: number, op: string, sql?: string, params?: unknown[], tx?: number }} m */
  async function run(m) {
    const q = m.tx === undefined ? db : txOf(m.tx).tx;
    switch (m.op) {
      case 'query': return toResult(await q.query(/** @type {string} */ (m.sql), m.params ?? []));
      case 'exec': return void (await q.exec(/** @type {string} */ (m.sql)));
      case 'begin': return begin();
      case 'commit': return end(/** @type {number} */ (m.tx), true);
      case 'rollback': return end(/** @type {number} */ (m.tx), false);
      default: throw new Error(`unknown operation ${m.op}`);
    }
  }

  async function close() {
    // Drain: everything already sent runs to its end before the database closes.
    while (inFlight.size) await Promise.allSettled([...inFlight]);
    await db.close();
  }

  port.on('message', (/** @type {{ id: number, op: string }} */ m) => {
    const work = m.op === 'close' ? close() : run(m);
    if (m.op !== 'close') inFlight.add(work);
    work.then(
      (value) => port.postMessage({ id: m.id, ok: true, value }),
      (err) => port.postMessage({ id: m.id, ok: false, error: serializeError(err) }),
    ).finally(() => inFlight.delete(work));
  });
  port.postMessage({ id: 0, ok: true, value: 'ready' });
}
