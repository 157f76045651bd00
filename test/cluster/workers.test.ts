import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { io } from 'socket.io-client';
import { signToken } from '../../src/auth/token-signer.ts';
import { next, request, type Client } from '../helpers/client.ts';
import { freshDatabase } from '../helpers/cluster.ts';
import { eventually, within } from '../helpers/eventually.ts';
import { freePort } from '../helpers/ports.ts';
import { runCli, stopProcess, type CliProcess } from '../helpers/process.ts';

const SECRET = 'workers-secret-0123456789-abcdefghijklmn';

/** Child pids of `pid`, from /proc. */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

describe('livegate start --workers 2 (sticky sessions, cluster adapter)', () => {
  let cli: CliProcess | undefined;
  let primary: CliProcess['proc'] | undefined;
  let url = '';
  const clients: Client[] = [];
  before(async () => {
    const databaseUrl = await freshDatabase();
    if (!databaseUrl) return;
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    cli = runCli(['start', '--workers', '2'], { NODE_ENV: 'test', PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl, JWT_SECRET: SECRET, LOG_LEVEL: 'error', CONNECT_ATTEMPTS_PER_IP_PER_MIN: '0', SHUTDOWN_DRAIN_MS: '500' });
    primary = cli.proc;
    await eventually(async () => assert.ok((await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) })).ok, '(await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) })).ok'), 60_000, 200).catch((err: unknown) => {
      throw new Error(`livegate start --workers 2 did not answer ${url}/healthz within 60 s: ${String(err)}\nstderr: ${cli!.stderr()}`);
    });
  });
  after(async () => {
    for (const c of clients) c.close();
    // Graceful first (the primary stops its workers), SIGKILL if that takes too long.
    if (cli) await stopProcess(cli, 15_000);
  });

  test('polling-only clients connect, exchange events and receive emits made by either worker', async (t) => {
    if (!primary) return t.skip('PostgreSQL missing');
    const admin = await signToken(SECRET, { sub: 'w-admin', role: 'admin' });
    for (let i = 0; i < 6; i++) {
      const socket: Client = io(url, { transports: ['polling'], forceNew: true, reconnection: false, auth: { token: await signToken(SECRET, { sub: `w-${i}`, role: 'passenger' }) } });
      clients.push(socket);
      await within(new Promise((r) => socket.once('authenticated', r)), 10_000, `polling client w-${i} to authenticate`);
    }
    for (const [i, socket] of clients.entries()) {
      // Several polling round trips per client: each must reach the worker holding its session.
      for (let k = 0; k < 3; k++) assert.equal((await request(socket, 'ping')).success, true, `client ${i} ping ${k}`);
      const created = await fetch(`${url}/api/users`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ id: `w-${i}`, role: 'passenger', name: 'W' }) });
      assert.equal(created.status, 200);
      const got = next(socket, 'profile_updated');
      const res = await fetch(`${url}/api/users/w-${i}`, { method: 'PATCH', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: `W${i}` }) });
      assert.equal(res.status, 200);
      assert.deepEqual((await got).changes, ['name'], `client ${i} got the emit whichever worker served the PATCH`);
    }
  });

  test('a dead worker is replaced', async (t) => {
    if (!primary) return t.skip('PostgreSQL missing');
    const before = childrenOf(primary.pid!);
    assert.equal(before.length, 2, `two workers: ${before}`);
    process.kill(before[0]!, 'SIGKILL');
    await eventually(() => {
      const now = childrenOf(primary!.pid!);
      assert.equal(now.length, 2);
      assert.ok(!now.includes(before[0]!), 'the dead worker is gone');
    }, 30_000, 100);
    await eventually(async () => {
      for (let i = 0; i < 4; i++) assert.ok((await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) })).ok, 'a worker answered /readyz with an error');
    }, 30_000, 200);
  });
});
