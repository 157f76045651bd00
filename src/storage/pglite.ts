import { PGlite, types } from '@electric-sql/pglite';
import { lockDataDir } from './data-dir-lock.ts';
import type { Database, Queryable, QueryResult } from './database.ts';

/**
 * Embedded PostgreSQL (WASM). One connection, so transactions are serialised
 * by PGlite itself. `dataDir = "memory"` keeps nothing; a directory is
 * locked to this process while open (see lockDataDir).
 */
export async function openPglite(dataDir: string): Promise<Database> {
  const memory = dataDir === 'memory';
  // Taken before PGlite touches the directory; a second process stops here.
  const lock = memory ? undefined : await lockDataDir(dataDir);
  let db: PGlite;
  try {
    // 32 MB of shared buffers instead of 128 MB: PGlite's WebAssembly heap
    // touches them all at start, and an embedded single node needs far less.
    db = await PGlite.create({
      ...(memory ? {} : { dataDir: `${dataDir.replace(/\/$/, '')}/pglite` }),
      postgresqlconf: ['shared_buffers=32MB'],
      // bigint (count(*), bigserial) as a string, as `pg` returns it; PGlite's
      // default (a number, or a BigInt past 2^53) would differ from production.
      parsers: { [types.INT8]: (value: string) => value },
    });
  } catch (err) {
    lock?.release();
    throw err;
  }
  let closed = false;

  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async exec(sql: string) {
      await q.exec(sql);
    },
    async query<R extends object>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      const res = await q.query<R>(sql, params as unknown[]);
      // The command tag's count, as `pg` reports it: `affectedRows` is 0 for a SELECT.
      return { rows: res.rows, rowCount: res.rowCount ?? res.affectedRows ?? res.rows.length };
    },
  });
  const base = wrap(db);

  return {
    kind: 'pglite',
    query: base.query,
    exec: base.exec,
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    async ping() {
      if (closed) return false;
      try {
        await db.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await db.close();
      } finally {
        lock?.release();
      }
    },
  };
}
