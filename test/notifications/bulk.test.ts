import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../src/storage/index.ts';
import { openPglite } from '../../src/storage/pglite.ts';
import { collect, next, request, type Client } from '../helpers/client.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/** The real PGlite database, with every statement the gateway sends through `query` recorded. */
async function recordingDatabase(): Promise<{ db: Database; statements: string[] }> {
  const inner = await openPglite('memory');
  const statements: string[] = [];
  const db: Database = {
    ...inner,
    query: (sql, params) => {
      statements.push(sql);
      return inner.query(sql, params);
    },
  };
  return { db, statements };
}

async function sentCount(server: TestServer, event: string): Promise<number> {
  const metric = server.app.metrics.registry.getSingleMetric('livegate_events_sent_total');
  const values = (await metric!.get()).values;
  return values.find((v) => v.labels.event === event)?.value ?? 0;
}

describe('bulk notifications: one emit, one insert', () => {
  let server: TestServer;
  let recorded: Awaited<ReturnType<typeof recordingDatabase>>;
  before(async () => {
    recorded = await recordingDatabase();
    server = await startServer({ TRIP_SWEEP_INTERVAL_MS: '0' }, { db: recorded.db });
  });
  after(async () => {
    await server.close();
    await recorded.db.close();
  });

  test('a send to 1,000 users is ONE insert statement and ONE emit per event name; each connected recipient gets it', async () => {
    const userIds = Array.from({ length: 1000 }, (_, i) => `bulk-${String(i).padStart(4, '0')}`);
    // 1,000 real sockets would be too many for a test: 50 recipients are connected, spread over the list.
    const connected: Client[] = [];
    for (let i = 0; i < 1000; i += 20) connected.push(await server.client(userIds[i]!, 'passenger'));
    const outsider = await server.client('bulk-outsider', 'passenger');
    const outsiderSaw = collect(outsider, 'notification');
    const arrivals = connected.map((s) => Promise.all([next(s, 'notification', 5000), next(s, 'notification:new', 5000)]));

    const before = { notification: await sentCount(server, 'notification'), new: await sentCount(server, 'notification:new') };
    const mark = recorded.statements.length;
    const res = await server.api('/api/notifications', { body: { userIds: [...userIds, ...userIds.slice(0, 10)], notification: { title: 'Fleet notice', message: 'New depot rules from Monday', type: 'info' } } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.recipients, 1000, 'duplicates count once');
    // Other modules' timers (the trip sweeper) share the database: count the statements that write inboxes.
    const inserts = recorded.statements.slice(mark).filter((s) => /\bINSERT\s+INTO\s+notification/i.test(s));
    assert.equal(inserts.length, 1, inserts.join('\n---\n'));
    assert.match(inserts[0]!, /INSERT INTO notifications[\s\S]*INSERT INTO notification_recipients[\s\S]*unnest/, 'notification and 1,000 inbox rows in that one statement');

    for (const [payload, fresh] of await Promise.all(arrivals)) {
      assert.equal(payload.id, res.body.id);
      assert.equal(payload.title, 'Fleet notice');
      assert.equal(fresh.id, res.body.id);
    }
    assert.equal(await sentCount(server, 'notification') - before.notification, 1, 'one emit to 1,000 rooms');
    assert.equal(await sentCount(server, 'notification:new') - before.new, 1);
    await request(outsider, 'ping');
    assert.deepEqual(outsiderSaw, []);

    // Every recipient has it in the inbox, connected or not, and reads it independently.
    assert.equal(await server.app.notifications.service.countUnread('bulk-0999'), 1);
    assert.deepEqual(await request(connected[0]!, 'notification:mark-read', res.body.id), { success: true, data: { marked: 1, count: 0 } });
    assert.equal(await server.app.notifications.service.countUnread('bulk-0020'), 1, 'one recipient reading changes nobody else');
  });

  test('more recipients than NOTIFICATION_BULK_MAX (10,000) is refused with 400 and stores nothing', async () => {
    const mark = recorded.statements.length;
    const userIds = Array.from({ length: 10_001 }, (_, i) => `cap-${i}`);
    const res = await server.api('/api/notifications', { body: { userIds, notification: { message: 'too many' } } });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'VALIDATION_ERROR');
    assert.deepEqual(recorded.statements.slice(mark).filter((s) => /\bINSERT\s+INTO\s+notification/i.test(s)), []);
  });
});
