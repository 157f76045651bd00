import type { Queryable } from '../../storage/index.ts';

export interface StoredRequest {
  bodyHash: string;
  /** Undefined while the first request is still delivering. */
  response: unknown;
}

/** Idempotency keys of POST /api/publish (061_publish.sql); the same SQL on PGlite and PostgreSQL. */
export class IdempotencyRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Claims `key` for this request in one statement: true when the key was
   * free (or its holder older than `staleBefore`), false when another
   * request holds it — the winner on every node is the row's writer.
   */
  async claim(principal: string, key: string, bodyHash: string, at: string, staleBefore: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `INSERT INTO publish_requests (principal, key, body_hash, created_at) VALUES ($1, $2, $3, $4::timestamptz)
       ON CONFLICT (principal, key) DO UPDATE SET body_hash = EXCLUDED.body_hash, response = NULL, created_at = EXCLUDED.created_at
       WHERE publish_requests.created_at < $5::timestamptz`,
      [principal, key, bodyHash, at, staleBefore],
    );
    return rowCount === 1;
  }

  async get(principal: string, key: string): Promise<StoredRequest | undefined> {
    const { rows } = await this.db.query<{ body_hash: string; response: unknown }>(
      'SELECT body_hash, response FROM publish_requests WHERE principal = $1 AND key = $2', [principal, key],
    );
    const row = rows[0];
    return row && { bodyHash: row.body_hash, response: row.response ?? undefined };
  }

  async complete(principal: string, key: string, response: unknown): Promise<void> {
    await this.db.query('UPDATE publish_requests SET response = $3::jsonb WHERE principal = $1 AND key = $2', [principal, key, JSON.stringify(response)]);
  }

  /** The request failed before delivering: a retry may claim the key afresh. */
  async release(principal: string, key: string): Promise<void> {
    await this.db.query('DELETE FROM publish_requests WHERE principal = $1 AND key = $2 AND response IS NULL', [principal, key]);
  }

  async purge(before: string): Promise<number> {
    return (await this.db.query('DELETE FROM publish_requests WHERE created_at < $1::timestamptz', [before])).rowCount;
  }
}
