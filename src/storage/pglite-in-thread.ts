import { PGlite, types } from '@electric-sql/pglite';
import type { Database, Queryable, QueryResult } from './database.ts';

/**
 * PGlite on the calling thread: its WebAssembly engine runs on the event
 * loop. Kept for comparisons (test/storage, benchmarks); the gateway uses
 * the thread (pglite-thread.ts). One connection, so transactions are
 * serialised by PGlite itself.
 */
export async function openPgliteInThread(dataDir: string | undefined, postgresqlconf: readonly string[]): Promise<Database> {
  const db = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    postgresqlconf: [...postgresqlconf],
    // bigint (count(*), bigserial) as a string, as `pg` returns it; PGlite's
    // default (a number, or a BigInt past 2^53) would differ from production.
    parsers: { [types.INT8]: (value: string) => value },
  });
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
      await db.close();
    },
  };
}
