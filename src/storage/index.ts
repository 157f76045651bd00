import type { Config } from '../config/index.ts';
import type { Database } from './database.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';

export { probePostgres } from './postgres.ts';

export type { Database, Queryable, QueryResult } from './database.ts';
export { migrate } from './migrate.ts';

/** PostgreSQL when DATABASE_URL is set, otherwise embedded PGlite under DATA_DIR. */
export function openDatabase(storage: Config['storage']): Promise<Database> {
  return storage.databaseUrl ? openPostgres(storage.databaseUrl, storage.poolSize) : openPglite(storage.dataDir);
}
