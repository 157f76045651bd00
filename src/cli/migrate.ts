import type { Config } from '../config/index.ts';
import { migrate, openDatabase, probePostgres, type Database } from '../storage/index.ts';
import { explainStartupFailure } from './preflight.ts';

/** `livegate migrate`: applies pending migrations and exits. */
export async function migrateOnly(config: Config): Promise<number> {
  let db: Database;
  try {
    if (config.storage.databaseUrl) await probePostgres(config.storage.databaseUrl);
    db = await openDatabase(config.storage);
  } catch (err) {
    throw explainStartupFailure(err, config) ?? err;
  }
  try {
    const applied = await migrate(db);
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
    return 0;
  } finally {
    await db.close();
  }
}
