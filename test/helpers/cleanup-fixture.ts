// Child process of cleanup.test.ts: starts PostgreSQL and Redis through the
// helpers, reports what it started on stdout, then ends the way argv[2] says.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPostgres } from './postgres.ts';
import { startRedis } from './redis.ts';

const how = process.argv[2];
const pg = await startPostgres();
const redis = await startRedis();
if (!pg || !redis) {
  process.stdout.write('{"missing":true}\n');
  process.exit(0);
}
const postmaster = Number(readFileSync(join(pg.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
process.stdout.write(`${JSON.stringify({ dataDir: pg.dataDir, postmaster, redisPid: redis.pid() })}\n`);

if (how === 'exit') process.exit(1);
if (how === 'throw') throw new Error('crash on purpose');
// 'signal': wait to be sent SIGTERM or SIGKILL by the parent.
setInterval(() => undefined, 1_000);
