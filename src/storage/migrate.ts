import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
/** Arbitrary constant: every node takes the same advisory lock while migrating. */
const MIGRATION_LOCK_KEY = 7_357_001;

export interface Migration { id: number; name: string; sql: string }

export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d+_.+\.sql$/.test(f)).sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
  return Promise.all(
    files.map(async (file) => ({ id: Number(file.split('_')[0]), name: file.replace(/\.sql$/, ''), sql: await readFile(dir + file, 'utf8') })),
  );
}

/**
 * Applies pending migrations in order, each in its own transaction under an
 * advisory lock, so several nodes starting at once migrate exactly once.
 * Returns the names applied.
 */
export async function migrate(db: Database, migrations?: Migration[]): Promise<string[]> {
  const list = migrations ?? (await loadMigrations());
  // Under the lock too: two sessions running CREATE TABLE IF NOT EXISTS at once
  // can both pass the existence check, and one then fails on pg_type's unique index.
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      id integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  });
  const applied: string[] = [];
  for (const m of list) {
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      const { rows } = await tx.query('SELECT 1 FROM schema_migrations WHERE id = $1', [m.id]);
      if (rows.length) return false;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (id, name) VALUES ($1, $2)', [m.id, m.name]);
      return true;
    });
    if (done) applied.push(m.name);
  }
  return applied;
}
