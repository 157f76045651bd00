import { createApp, type App, type AppDeps } from '../../src/app.ts';
import { signToken, type TokenRequest } from '../../src/auth/token-signer.ts';
import { loadConfig } from '../../src/config/index.ts';
import type { Role } from '../../src/protocol/index.ts';
import { connect, type Client, type ConnectOptions } from './client.ts';
import { within } from './eventually.ts';

export const TEST_SECRET = 'test-secret-that-is-long-enough-for-hs256!';

/** Far above what a healthy test server needs; only a hang reaches them. */
const API_TIMEOUT_MS = 30_000;
const SHUTDOWN_TIMEOUT_MS = 20_000;

export interface TestServer {
  app: App;
  url: string;
  port: number;
  token(sub: string, role: Role, extra?: Partial<TokenRequest>): Promise<string>;
  /** Connects a real client as `sub` with `role`, resolved once authenticated. */
  client(sub: string, role: Role, opts?: ConnectOptions): Promise<Client>;
  /** fetch() against the server with an admin token unless `token` is given (null = none). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  api(path: string, init?: { method?: string; body?: unknown; token?: string | null; headers?: Record<string, string> }): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** A real gateway on 127.0.0.1 port 0 with in-memory PGlite (or `deps.db`). */
export async function startServer(env: Record<string, string> = {}, deps: AppDeps = {}): Promise<TestServer> {
  const config = loadConfig({
    NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', DATA_DIR: 'memory', JWT_SECRET: TEST_SECRET, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // Every test connects from 127.0.0.1, and the auth matrix fails many handshakes on purpose.
    CONNECT_ATTEMPTS_PER_IP_PER_MIN: '0', AUTH_FAILURES_PER_IP_PER_MIN: '0', HEARTBEAT_INTERVAL_MS: '0', SHUTDOWN_DRAIN_MS: '500', RATE_LIMIT_DEFAULT: '1000/1',
    ...env,
  });
  const app = await createApp(config, deps);
  const { port } = await app.listen();
  const url = `http://127.0.0.1:${port}`;
  const clients: Client[] = [];
  const secret = config.auth.jwtSecret ?? TEST_SECRET;
  const token = (sub: string, role: Role, extra: Partial<TokenRequest> = {}) => signToken(secret, { sub, role, ttl: '1h', ...extra });
  let adminToken: string | undefined;
  return {
    app, url, port, token,
    async client(sub, role, opts = {}) {
      const c = await connect(url, { token: await token(sub, role), ...opts });
      clients.push(c);
      return c;
    },
    async api(path, init = {}) {
      adminToken ??= await token('test-admin', 'admin');
      const auth = init.token === null ? undefined : (init.token ?? adminToken);
      const method = init.method ?? (init.body === undefined ? 'GET' : 'POST');
      const res = await fetch(url + path, {
        method,
        headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(auth ? { authorization: `Bearer ${auth}` } : {}), ...init.headers },
        body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
        // A request the server never answers fails the test with its name instead of hanging it.
        signal: AbortSignal.timeout(API_TIMEOUT_MS),
      }).catch((err: unknown) => {
        throw new Error(`${method} ${path} on ${config.nodeId} (${url}) failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      });
      const text = await res.text();
      let body: unknown = text;
      try { body = JSON.parse(text); } catch { /* not JSON (Prometheus text) */ }
      return { status: res.status, body };
    },
    async close() {
      for (const c of clients) c.close();
      await within(app.shutdown(), SHUTDOWN_TIMEOUT_MS, `the shutdown of gateway ${config.nodeId} (${url})`);
    },
  };
}
