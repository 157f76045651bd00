import type { Queryable } from '../../storage/index.ts';

/** Webhook event ids already taken (061_publish.sql). */
export class WebhookEventsRepository {
  constructor(private readonly db: Queryable) {}

  /** True when this (source, id) is new; false for a replay, on whichever node it lands. */
  async claim(source: string, eventId: string, type: string, at: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `INSERT INTO webhook_events (source, event_id, type, received_at) VALUES ($1, $2, $3, $4::timestamptz) ON CONFLICT (source, event_id) DO NOTHING`,
      [source, eventId, type, at],
    );
    return rowCount === 1;
  }

  async purge(before: string): Promise<number> {
    return (await this.db.query('DELETE FROM webhook_events WHERE received_at < $1::timestamptz', [before])).rowCount;
  }
}
