import type { Config } from '../config/index.ts';
import { migrate, openDatabase, probePostgres } from '../storage/index.ts';

/** `livegate migrate`: applies pending migrations and exits. */
export async function migrateOnly(config: Config): Promise<number> {
  if (config.storage.databaseUrl) await probePostgres(config.storage.databaseUrl);
  const db = await openDatabase(config.storage);
  try {
    const applied = await migrate(db);
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
    return 0;
  } finally {
    await db.close();
  }
}
