import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { connect } from '../helpers/client.ts';
import { eventually } from '../helpers/eventually.ts';
import { freePort } from '../helpers/ports.ts';
import { waitForHttp, type CliProcess } from '../helpers/process.ts';
import { cli, start, tempDir } from './startup-helpers.ts';

describe('livegate start: development secret', () => {
  /** The banner's admin token and, if it suggests one, the `livegate token` command with its environment. */
  async function banner(child: CliProcess): Promise<{ admin: string; command: { env: Record<string, string>; args: string[] } | undefined }> {
    const admin = await eventually(() => {
      if (child.proc.exitCode !== null) throw new Error(`exited ${child.proc.exitCode}: ${child.stderr()}`);
      const match = child.stdout().match(/Admin token[^:]*:\s+(\S+)/);
      assert.ok(match, 'banner with the admin token');
      return match[1]!;
    }, 90_000, 50);
    const suggested = child.stdout().match(/((?:[A-Z_]+=\S+ )*)npx livegate (token [^\n*]*?)\s*(?:\*|\n)/);
    if (!suggested) return { admin, command: undefined };
    const env = Object.fromEntries(suggested[1]!.trim().split(/\s+/).filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
    return { admin, command: { env, args: suggested[2]!.trim().replace(/\bID\b/, 'rider-1').split(/\s+/) } };
  }

  async function assertWorks(url: string, admin: string, command: { env: Record<string, string>; args: string[] } | undefined, env: Record<string, string>) {
    const res = await fetch(`${url}/api/connections`, { headers: { authorization: `Bearer ${admin}` } });
    assert.equal(res.status, 200, await res.text());
    const socket = await connect(url, { token: admin });
    socket.close();
    if (!command) return;
    // What the banner suggests must give a token this server accepts, run as a second process.
    const tokenRun = cli(command.args, { ...env, ...command.env });
    
    assert.equal((await tokenRun.exited).code, 0, tokenRun.stderr());
    const rider = await connect(url, { token: tokenRun.stdout().trim() });
    rider.close();
  }

  test('DATA_DIR=memory: the banner\'s admin token works over HTTP and Socket.IO, and it suggests no token command the server would refuse', async () => {
    const port = await freePort();
    const env = { DATA_DIR: 'memory', LOG_LEVEL: 'warn' };
    const child = start({ ...env, PORT: String(port) });
    await waitForHttp(child, `http://127.0.0.1:${port}/healthz`);
    const { admin, command } = await banner(child);
    await assertWorks(`http://127.0.0.1:${port}`, admin, command, env);
    assert.match(child.stdout(), /JWT_SECRET/, 'says how to get more tokens');
  });

  test('a DATA_DIR directory: the suggested token command signs with the same generated secret', async () => {
    const dataDir = await tempDir();
    const port = await freePort();
    const env = { DATA_DIR: dataDir, LOG_LEVEL: 'warn', JWT_ISSUER: 'https://issuer.test', JWT_AUDIENCE: 'livegate-test' };
    const child = start({ ...env, PORT: String(port) });
    await waitForHttp(child, `http://127.0.0.1:${port}/healthz`);
    const { admin, command } = await banner(child);
    assert.ok(command, 'a token command is suggested');
    // The suggestion must work from anywhere: it names DATA_DIR, not just the current directory's.
    await assertWorks(`http://127.0.0.1:${port}`, admin, command, { LOG_LEVEL: 'warn', JWT_ISSUER: env.JWT_ISSUER, JWT_AUDIENCE: env.JWT_AUDIENCE });
  });

  test('livegate token with DATA_DIR=memory and no JWT_SECRET refuses: no server could accept its token', async () => {
    const run = cli(['token', '--sub', 'u1', '--role', 'driver'], { DATA_DIR: 'memory', LOG_LEVEL: 'warn' });
    assert.equal((await run.exited).code, 2);
    assert.equal(run.stdout(), '');
    assert.match(run.stderr(), /JWT_SECRET/);
  });
});
