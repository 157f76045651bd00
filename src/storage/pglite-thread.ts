import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { UnavailableError } from '../core/errors.ts';
import type { Database, Queryable, QueryResult } from './database.ts';

const WORKER_URL = new URL('./pglite-worker.js', import.meta.url);

/** The thread behind each Database, for tests that make it die the way a crash would. */
export const threadOf = new WeakMap<Database, Worker>();

/**
 * A PostgreSQL error raised in the PGlite thread, with the fields callers
 * branch on (`code` 23505, `constraint`, `detail`) as PGlite's own
 * DatabaseError has them.
 */
export class DatabaseError extends Error {
  code?: string;
  detail?: string;
  hint?: string;
  constraint?: string;
  schema?: string;
  table?: string;
  column?: string;
  severity?: string;
  constructor(fields: Record<string, string | undefined>) {
    super(fields.message ?? 'database error');
    Object.assign(this, fields);
    this.name = fields.name ?? 'DatabaseError';
  }
}

export interface PgliteThreadSettings {
  /** PGlite's directory, or undefined to keep everything in memory. */
  readonly dataDir: string | undefined;
  readonly postgresqlconf: readonly string[];
}

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: Record<string, string | undefined> };
interface WorkerData { dataDir?: string; postgresqlconf: string[] }

/** Starts the thread and waits for its 'ready'. */
function spawn(data: WorkerData): Promise<{ worker: Worker }> {
  // No tsx in the thread: the worker is plain JavaScript (see pglite-worker.js).
  const worker = new Worker(WORKER_URL, { workerData: data, execArgv: [] });
  return new Promise((resolve, reject) => {
    const fail = (err: unknown) => {
      worker.off('message', onMessage);
      void worker.terminate();
      reject(err instanceof Error ? err : new Error(`PGlite thread exited during start-up (code ${String(err)})`));
    };
    const onMessage = (m: Reply) => {
      worker.off('error', fail).off('exit', fail);
      if (m.ok) resolve({ worker });
      else fail(new DatabaseError(m.error));
    };
    worker.once('message', onMessage).once('error', fail).once('exit', fail);
  });
}

/**
 * A fresh directory is made by initdb, which leaves ~50 MB more of the
 * thread's memory in use than opening an existing one. Made in a throwaway
 * thread, that memory goes with it; the real thread then opens what it made.
 */
async function initialise(settings: PgliteThreadSettings): Promise<void> {
  if (!settings.dataDir || existsSync(join(settings.dataDir, 'PG_VERSION'))) return;
  const { worker } = await spawn({ dataDir: settings.dataDir, postgresqlconf: [...settings.postgresqlconf] });
  const closed = new Promise<void>((resolve) => worker.once('message', () => resolve()));
  worker.postMessage({ id: 1, op: 'close' });
  await closed;
  await worker.terminate();
}

/**
 * PGlite in its own thread behind the Database port: queries, scripts and
 * transactions are messages, so the WebAssembly engine never runs on the
 * event loop. A transaction is held open in the thread across messages
 * (BEGIN, each `tx.query`, COMMIT/ROLLBACK) and plain queries wait behind it,
 * as they do on an in-thread PGlite. If the thread dies, every pending and
 * later call rejects with UnavailableError and ping() is false.
 */
export async function openPgliteThread(settings: PgliteThreadSettings): Promise<Database> {
  await initialise(settings);
  const { worker } = await spawn({ ...(settings.dataDir ? { dataDir: settings.dataDir } : {}), postgresqlconf: [...settings.postgresqlconf] });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: unknown) => void }>();
  let nextId = 1;
  let dead: UnavailableError | undefined;
  let closing: Promise<void> | undefined;

  worker.on('message', (m: Reply) => {
    const call = pending.get(m.id);
    if (!call) return;
    pending.delete(m.id);
    if (m.ok) call.resolve(m.value);
    else call.reject(new DatabaseError(m.error));
  });
  let crash: unknown;
  worker.on('error', (err) => (crash = err));
  worker.on('exit', (code) => {
    const cause = crash ?? new Error(`the PGlite thread exited unexpectedly (code ${code})`);
    dead = new UnavailableError('database', cause);
    dead.message = `database unavailable: ${(cause as Error).message}`;
    for (const call of pending.values()) call.reject(dead);
    pending.clear();
  });

  const send = (op: string, fields: { sql?: string; params?: readonly unknown[]; tx?: number } = {}): Promise<unknown> => {
    if (dead) return Promise.reject(dead);
    return new Promise((resolve, reject) => {
      const id = nextId++;
      try {
        worker.postMessage({ id, op, ...fields });
      } catch (err) {
        // A parameter structured clone cannot copy (a function, a class with private state).
        return reject(err);
      }
      pending.set(id, { resolve, reject });
    });
  };
  const closedError = () => new Error('PGlite is closed');
  const queryable = (tx?: number): Queryable => ({
    async exec(sql) {
      if (closing && tx === undefined) throw closedError();
      await send('exec', { sql, tx });
    },
    async query<R extends object>(sql: string, params: readonly unknown[] = []) {
      if (closing && tx === undefined) throw closedError();
      return (await send('query', { sql, params, tx })) as QueryResult<R>;
    },
  });
  const base = queryable();

  const db: Database = {
    kind: 'pglite',
    query: base.query,
    exec: base.exec,
    async transaction(fn) {
      if (closing) throw closedError();
      const tx = (await send('begin')) as number;
      let result;
      try {
        result = await fn(queryable(tx));
      } catch (err) {
        await send('rollback', { tx }).catch(() => undefined);
        throw err;
      }
      await send('commit', { tx });
      return result;
    },
    async ping() {
      if (closing || dead) return false;
      try {
        await send('query', { sql: 'SELECT 1', params: [] });
        return true;
      } catch {
        return false;
      }
    },
    close() {
      closing ??= (async () => {
        // The thread drains what was sent before it closes; a dead thread has nothing to drain.
        if (!dead) await send('close').catch(() => undefined);
        worker.removeAllListeners('exit');
        await worker.terminate();
      })();
      return closing;
    },
  };
  threadOf.set(db, worker);
  return db;
}
