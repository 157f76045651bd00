import type { Database } from './database.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';

export { DatabaseUnreachableError, probePostgres } from './postgres.ts';
export { DataDirInUseError } from './data-dir-lock.ts';

export type { Database, Queryable, QueryResult } from './database.ts';
export { migrate } from './migrate.ts';

/** Where data lives: PostgreSQL at `databaseUrl`, else PGlite under `dataDir` (`memory` keeps nothing). */
export interface StorageSettings {
  readonly databaseUrl: string | undefined;
  readonly poolSize: number;
  readonly dataDir: string;
}

/** PostgreSQL when DATABASE_URL is set, otherwise embedded PGlite under DATA_DIR. */
export function openDatabase(storage: StorageSettings): Promise<Database> {
  return storage.databaseUrl ? openPostgres(storage.databaseUrl, storage.poolSize) : openPglite(storage.dataDir);
}
