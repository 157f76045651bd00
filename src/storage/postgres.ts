import pg from 'pg';
import { UnavailableError } from '../core/errors.ts';
import type { Database, Queryable, QueryResult } from './database.ts';

/** Connection-level failures: the server is down or unreachable, not a bad query. */
function isUnavailable(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code ?? '';
  return ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006'].includes(code)
    || /Connection terminated|timeout exceeded when trying to connect|connection error and is not queryable/i.test((err as Error | null)?.message ?? '');
}

function rethrow(err: unknown): never {
  if (isUnavailable(err)) throw new UnavailableError('database', err);
  throw err;
}

/** PostgreSQL could not be reached at start-up; `cause` is the connection error. */
export class DatabaseUnreachableError extends Error {
  constructor(cause: unknown) {
    super(`cannot reach PostgreSQL: ${(cause as Error | null)?.message ?? String(cause)}`, { cause });
    this.name = 'DatabaseUnreachableError';
  }
}

/**
 * Connects once, runs `SELECT 1` and disconnects, within `timeoutMs`: the
 * start-up check that reports an unreachable DATABASE_URL
 * (DatabaseUnreachableError) before anything else is opened, instead of a
 * stack trace from the first query.
 */
export async function probePostgres(url: string, timeoutMs = 3_000): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    throw new DatabaseUnreachableError(err);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** PostgreSQL through a `pg` pool. */
export async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 3000, idleTimeoutMillis: 30_000 });
  // An idle client losing its connection must not crash the process.
  pool.on('error', () => undefined);

  const wrap = (q: pg.Pool | pg.PoolClient): Queryable => ({
    async exec(sql: string) {
      await q.query(sql).catch(rethrow);
    },
    async query<R extends object>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      try {
        const res = await q.query<R & pg.QueryResultRow>(sql, params as unknown[]);
        return { rows: res.rows, rowCount: res.rowCount ?? res.rows.length };
      } catch (err) {
        return rethrow(err);
      }
    },
  });
  const base = wrap(pool);

  return {
    kind: 'postgres',
    query: base.query,
    exec: base.exec,
    async transaction(fn) {
      const client = await pool.connect().catch(rethrow);
      // Set when ROLLBACK fails: the connection is broken and must not go back to the pool.
      let broken: Error | undefined;
      try {
        await client.query('BEGIN').catch(rethrow);
        const result = await fn(wrap(client));
        await client.query('COMMIT').catch(rethrow);
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch((rollbackErr: Error) => {
          broken = rollbackErr;
        });
        throw err;
      } finally {
        client.release(broken);
      }
    },
    async ping() {
      try {
        await pool.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      // pg's Pool.end() rejects when called twice; close() is idempotent, as PGlite's is.
      if (!pool.ending) await pool.end();
    },
  };
}
