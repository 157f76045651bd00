import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { request, type Client } from '../helpers/client.ts';
import { freshDatabase } from '../helpers/cluster.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { connectRecording, publishMany, range, seqsOf, type Seen } from './fixtures.ts';

type Op = { kind: 'send'; n: number } | { kind: 'reconnect'; sendWhileAway: number } | { kind: 'resume' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('send' as const), n: fc.integer({ min: 1, max: 8 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reconnect' as const), sendWhileAway: fc.integer({ min: 0, max: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('resume' as const) }) },
);

for (const storage of ['PGlite', 'PostgreSQL'] as const) {
  describe(`interleaved sends, reconnects and resumes: every seq exactly once, in order (${storage})`, () => {
    let server: TestServer | undefined;
    const open: Client[] = [];
    before(async () => {
      if (storage === 'PGlite') return void (server = await startServer());
      const url = await freshDatabase();
      if (url) server = await startServer({ DATABASE_URL: url, DATABASE_POOL_SIZE: '5' });
    });
    after(async () => {
      open.forEach((c) => c.close());
      await server?.close();
    });

    test('the client sees 1..head once each, in order', async (t) => {
      if (!server) return t.skip('PostgreSQL missing');
      const srv = server;
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
          const userId = `prop-${storage}-${run++}`;
          const token = await srv.token(userId, 'user');
          const seen: Seen[] = [];
          let sent = 0;
          let client = (await connectRecording(srv.url, token, undefined, seen)).c;
          open.push(client);
          const send = async (n: number) => {
            if (n === 0) return;
            await publishMany(srv, userId, range(sent + 1, sent + n));
            sent += n;
          };
          for (const o of ops) {
            if (o.kind === 'send') {
              // Not awaited by the client: deliveries may still be in flight at the next step.
              await send(o.n);
            } else if (o.kind === 'reconnect') {
              client.close();
              await send(o.sendWhileAway);
              const seqs = seqsOf(seen);
              client = (await connectRecording(srv.url, token, seqs[seqs.length - 1] ?? 0, seen)).c;
              open.push(client);
            } else {
              const seqs = seqsOf(seen);
              const res = await request<{ headSeq: number }>(client, 'stream:resume', { seq: seqs[seqs.length - 1] ?? 0 });
              assert.ok(res.success, JSON.stringify(res));
            }
          }
          await eventually(() => assert.equal(seqsOf(seen).length, sent), 10_000);
          assert.deepEqual(seqsOf(seen), range(1, sent));
          assert.deepEqual(seen.filter((s) => s.event === 'x-tick').map((s) => (s.payload as { n: number }).n), range(1, sent));
          client.close();
        }),
        { numRuns: 15 },
      );
    });
  });
}
