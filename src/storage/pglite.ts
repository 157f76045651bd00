import { lockDataDir } from './data-dir-lock.ts';
import type { Database } from './database.ts';

/**
 * PostgreSQL settings for an embedded single node. PGlite's WebAssembly heap
 * touches its shared buffers at start, and an embedded node with one
 * connection needs few: 128 MB (PostgreSQL's default) cost that much RSS.
 */
export const PGLITE_CONF: readonly string[] = ['shared_buffers=8MB'];

export interface PgliteOptions {
  /** 'worker' (the default): PGlite runs in its own thread, off the event loop. 'main': on the caller's thread. */
  readonly thread?: 'worker' | 'main';
}

/**
 * Embedded PostgreSQL (WASM). `dataDir = "memory"` keeps nothing; a
 * directory is locked to this process while open (see lockDataDir).
 */
export async function openPglite(dataDir: string, options: PgliteOptions = {}): Promise<Database> {
  const memory = dataDir === 'memory';
  // Taken before PGlite touches the directory; a second process stops here.
  const lock = memory ? undefined : await lockDataDir(dataDir);
  const path = memory ? undefined : `${dataDir.replace(/\/$/, '')}/pglite`;
  let db: Database;
  try {
    // Loaded on demand: the process that uses the thread never loads PGlite itself.
    db = options.thread === 'main'
      ? await (await import('./pglite-in-thread.ts')).openPgliteInThread(path, PGLITE_CONF)
      : await (await import('./pglite-thread.ts')).openPgliteThread({ dataDir: path, postgresqlconf: PGLITE_CONF });
  } catch (err) {
    lock?.release();
    throw err;
  }
  if (!lock) return db;
  return {
    ...db,
    async close() {
      try {
        await db.close();
      } finally {
        lock.release();
      }
    },
  };
}
