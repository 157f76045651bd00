import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { within } from './eventually.ts';
import { startPostgres } from './postgres.ts';
import { startRedis, type RedisServer } from './redis.ts';
import { startServer, type TestServer } from './server.ts';

export interface TestCluster {
  nodes: TestServer[];
  redis: RedisServer;
  databaseUrl: string;
  /** Adds one more node sharing the same Redis and database. */
  addNode(env?: Record<string, string>): Promise<TestServer>;
  close(): Promise<void>;
}

/** A fresh database on a real PostgreSQL server (one server per test process). */
let pgServer: ReturnType<typeof startPostgres> | undefined;
export async function freshDatabase(): Promise<string | null> {
  // The promise is cached, so concurrent callers share one server.
  pgServer ??= startPostgres();
  const server = await pgServer;
  if (!server) return null;
  const name = `livegate_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server.url, connectionTimeoutMillis: 10_000, query_timeout: 30_000 });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end().catch(() => undefined);
  }
  return server.url.replace(/\/[^/]*$/, `/${name}`);
}

/**
 * `n` gateway nodes (each its own Socket.IO server, HTTP port and state) in
 * this process, sharing one real redis-server and one real PostgreSQL
 * database — the multi-node deployment on loopback. Null (after a loud
 * warning) when either server is missing outside CI.
 */
export async function startCluster(n: number, env: Record<string, string> = {}): Promise<TestCluster | null> {
  const redis = await startRedis();
  const databaseUrl = redis ? await freshDatabase() : null;
  if (!redis || !databaseUrl) {
    await redis?.stop();
    return null;
  }
  const shared = { REDIS_URL: redis.url, DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: '5', PRESENCE_HEARTBEAT_MS: '200', PRESENCE_TTL_MS: '1000', ...env };
  const nodes: TestServer[] = [];
  const addNode = async (extra: Record<string, string> = {}) => {
    const nodeId = extra.NODE_ID ?? `node-${nodes.length + 1}`;
    // Bounded: a node's Redis clients retry for ever when Redis cannot be reached.
    const node = await within(startServer({ ...shared, NODE_ID: nodeId, ...extra }), NODE_START_TIMEOUT_MS, `gateway ${nodeId} to start (Redis ${redis.url})`);
    nodes.push(node);
    return node;
  };
  const close = async () => {
    // Every node and the Redis server are stopped even when one node's shutdown fails; the failures are reported after.
    const results = await Promise.allSettled(nodes.map((node) => node.close()));
    await redis.stop();
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason instanceof Error ? r.reason.message : String(r.reason)] : []));
    if (failures.length > 0) throw new Error(`cluster close: ${failures.join('; ')}`);
  };
  try {
    for (let i = 0; i < n; i++) await addNode();
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
  return { nodes, redis, databaseUrl, addNode, close };
}

const NODE_START_TIMEOUT_MS = 30_000;
