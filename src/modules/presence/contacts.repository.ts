import type { Database } from '../../storage/index.ts';

/**
 * Contacts, stored in both directions (055_contacts.sql). Plain SQL that runs
 * on PGlite and PostgreSQL.
 */
export class ContactsRepository {
  constructor(private readonly db: Database) {}

  /** The user's contacts, sorted. */
  async list(userId: string): Promise<string[]> {
    const { rows } = await this.db.query<{ contact_id: string }>('SELECT contact_id FROM contacts WHERE user_id = $1 ORDER BY contact_id', [userId]);
    return rows.map((r) => r.contact_id);
  }

  /**
   * Makes `contactIds` exactly the user's contacts, both directions at once:
   * every pair that names the user is dropped and the new pairs are written,
   * so a dropped contact loses the user too. One transaction; writes take
   * one advisory lock because two users replacing lists that name each other
   * would otherwise interleave their deletes and inserts. Contact lists are
   * written rarely (by backends), so one lock for all of them costs nothing.
   */
  async replace(userId: string, contactIds: readonly string[], at: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [CONTACTS_LOCK_KEY]);
      await tx.query('DELETE FROM contacts WHERE user_id = $1 OR contact_id = $1', [userId]);
      if (contactIds.length === 0) return;
      await tx.query(
        `INSERT INTO contacts (user_id, contact_id, created_at)
         SELECT $1, c, $3::timestamptz FROM unnest($2::text[]) AS c
         UNION ALL
         SELECT c, $1, $3::timestamptz FROM unnest($2::text[]) AS c`,
        [userId, contactIds, at],
      );
    });
  }
}

/** Arbitrary constant, distinct from the migration lock. */
const CONTACTS_LOCK_KEY = 7_301_055;
