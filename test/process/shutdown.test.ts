import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { signToken } from '../../src/auth/token-signer.ts';
import { connect, connectError, next } from '../helpers/client.ts';
import { eventually } from '../helpers/eventually.ts';
import { freePort } from '../helpers/ports.ts';
import { runCli, waitForHttp, type CliProcess } from '../helpers/process.ts';

const SECRET = 'process-test-secret-that-is-long-enough-0123';
const DRAIN_MS = 1500;

/** Every process a test started, killed in `after` whatever happened. */
const children: CliProcess[] = [];
const dirs: string[] = [];
after(async () => {
  await Promise.all(children.map((c) => c.kill()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** `livegate start` with exactly `env` (plus PATH and HOME). */
function startGateway(env: Record<string, string>): CliProcess {
  const child = runCli(['start'], env);
  children.push(child);
  return child;
}

describe('livegate start: graceful shutdown on SIGTERM', () => {
  test('tells clients server:shutdown, fails /readyz while draining, refuses new sockets, then exits 0 within the drain deadline', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = startGateway({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: 'memory', JWT_SECRET: SECRET, SHUTDOWN_DRAIN_MS: String(DRAIN_MS), LOG_LEVEL: 'warn', NODE_ENV: 'test' });
    await waitForHttp(child, `${url}/healthz`);
    assert.equal((await fetch(`${url}/readyz`)).status, 200);

    const token = await signToken(SECRET, { sub: 'p-shutdown', role: 'passenger', ttl: '5m' });
    const socket = await connect(url, { token });
    const notice = next(socket, 'server:shutdown', 5000);
    notice.catch(() => undefined);
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));

    const signalledAt = Date.now();
    child.proc.kill('SIGTERM');
    const payload = await notice;
    assert.equal(payload.reconnect, true);
    assert.equal(typeof payload.message, 'string');
    assert.ok(payload.message.length > 0, 'a human-readable message');

    // The client stays connected, so the gateway keeps draining until the deadline. Poll
    // /readyz until the process exits: 503 while the listener is open, then refused.
    const refusedSocket = connectError(url, { token: await signToken(SECRET, { sub: 'p-late', role: 'passenger', ttl: '5m' }) });
    const seen: Array<number | 'refused'> = [];
    let connectedDuring503 = false;
    while (child.proc.exitCode === null && child.proc.signalCode === null) {
      const res = await fetch(`${url}/readyz`).catch(() => 'refused' as const);
      if (res === 'refused') {
        seen.push(res);
      } else {
        seen.push(res.status);
        if (res.status === 503) {
          assert.equal(((await res.json()) as { status: string }).status, 'draining');
          connectedDuring503 ||= socket.connected;
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(seen.includes(503), `/readyz said 503 while draining (seen ${seen.join(', ')})`);
    assert.ok(seen.every((s) => s === 503 || s === 'refused'), `never ready after SIGTERM (seen ${seen.join(', ')})`);
    assert.ok(connectedDuring503, 'the client was still connected while /readyz said 503');
    assert.ok((await refusedSocket) instanceof Error, 'new sockets are refused while draining');

    const { code, signal } = await child.exited;
    const tookMs = Date.now() - signalledAt;
    assert.equal(signal, null);
    assert.equal(code, 0, `exit ${code} after ${tookMs} ms\nstderr: ${child.stderr()}\nstdout: ${child.stdout().slice(-4000)}`);
    assert.ok(tookMs >= DRAIN_MS - 100, `waited for the connected client (${tookMs} ms)`);
    // The close after the drain is well under a second on a quiet machine; CI machines are not quiet.
    assert.ok(tookMs < DRAIN_MS + 10_000, `exited soon after the drain deadline (${tookMs} ms)`);
    assert.ok(['io server disconnect', 'transport close'].includes(await closed), 'the client was disconnected');
    socket.close();
  });
});

describe('livegate start: development and production secrets', () => {
  test('without JWT_SECRET outside production it prints a development banner with a working admin token', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'livegate-dev-'));
    dirs.push(dataDir);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = startGateway({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    const token = await eventually(() => {
      if (child.proc.exitCode !== null) throw new Error(`exited ${child.proc.exitCode}: ${child.stderr()}`);
      const match = child.stdout().match(/Admin token[^:]*:\s+(\S+)/);
      assert.ok(match, 'banner with the admin token');
      return match[1]!;
    }, 90_000, 50);
    assert.match(child.stdout(), /DEVELOPMENT MODE/);
    assert.match(child.stdout(), /JWT_SECRET/);
    assert.ok(existsSync(join(dataDir, 'dev-jwt-secret')), 'the generated secret is kept in DATA_DIR');

    const health = await fetch(`${url}/api/health`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { status: string }).status, 'healthy');
    assert.equal((await fetch(`${url}/api/health`)).status, 401);

    // No client is connected, so SIGTERM need not wait for the (default 10 s) drain deadline.
    const signalledAt = Date.now();
    child.proc.kill('SIGTERM');
    assert.equal((await child.exited).code, 0, child.stderr());
    assert.ok(Date.now() - signalledAt < 2000, `exited promptly without clients (${Date.now() - signalledAt} ms)`);
  });

  test('with NODE_ENV=production and no JWT_SECRET it exits non-zero and lists every problem on stderr', async () => {
    const child = startGateway({ NODE_ENV: 'production', PORT: 'not-a-port', DATA_DIR: 'memory', LOG_LEVEL: 'warn' });
    const { code } = await child.exited;
    assert.notEqual(code, 0);
    assert.match(child.stderr(), /JWT_SECRET/);
    assert.match(child.stderr(), /PORT/);
    assert.doesNotMatch(child.stdout(), /Admin token/);
  });
});
