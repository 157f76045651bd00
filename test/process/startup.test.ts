import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { connect } from '../helpers/client.ts';
import { eventually } from '../helpers/eventually.ts';
import { freePort } from '../helpers/ports.ts';
import { runCli, waitForHttp, type CliProcess } from '../helpers/process.ts';

const SECRET = 'startup-test-secret-that-is-long-enough-0123';

const children: CliProcess[] = [];
const dirs: string[] = [];
const servers: Server[] = [];
after(async () => {
  await Promise.all(children.map((c) => c.kill()));
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

function start(env: Record<string, string>): CliProcess {
  const child = runCli(['start'], { HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env });
  children.push(child);
  return child;
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'livegate-startup-'));
  dirs.push(dir);
  return dir;
}

/** Waits for the process to exit, failing (and killing it) after `ms`. */
async function exitWithin(child: CliProcess, ms: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([child.exited, new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), ms)))]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    await child.kill();
    assert.fail(`still running after ${ms} ms\nstdout: ${child.stdout()}\nstderr: ${child.stderr()}`);
  }
  return outcome.code;
}

/** The failure is one line on stderr, with no stack trace and nothing on stdout but logs. */
function assertOneLine(child: CliProcess, pattern: RegExp): void {
  const lines = child.stderr().trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${child.stderr()}`);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(child.stderr() + child.stdout(), /\n\s+at /, 'no stack trace');
}

describe('livegate start: port and DATA_DIR already taken', () => {
  test('a port in use: one clear line and exit 1, before the embedded database is opened', async () => {
    const port = await freePort();
    const holder = createServer();
    servers.push(holder);
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    const dataDir = await tempDir();
    const child = start({ PORT: String(port), DATA_DIR: dataDir, JWT_SECRET: SECRET });
    assert.equal(await exitWithin(child, 60_000), 1);
    assertOneLine(child, new RegExp(`^livegate: port ${port} on 127\\.0\\.0\\.1 is already in use \\(EADDRINUSE\\); set PORT or stop the other process$`));
    assert.equal(existsSync(join(dataDir, 'pglite')), false, 'PGlite was not opened');
  });

  test('a second start on the same DATA_DIR exits 1 naming the first one\'s pid; the lock goes away on exit', async () => {
    const dataDir = await tempDir();
    const firstPort = await freePort();
    const first = start({ PORT: String(firstPort), DATA_DIR: dataDir, JWT_SECRET: SECRET });
    await waitForHttp(first, `http://127.0.0.1:${firstPort}/healthz`);
    assert.equal((await readFile(join(dataDir, 'livegate.lock'), 'utf8')).trim(), String(first.proc.pid));

    const second = start({ PORT: String(await freePort()), DATA_DIR: dataDir, JWT_SECRET: SECRET });
    assert.equal(await exitWithin(second, 60_000), 1);
    assertOneLine(second, new RegExp(`^livegate: DATA_DIR ${dataDir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is in use by another Livegate process \\(pid ${first.proc.pid}\\)`));
    assert.equal((await fetch(`http://127.0.0.1:${firstPort}/healthz`)).status, 200, 'the first one still serves');

    first.proc.kill('SIGTERM');
    assert.equal(await exitWithin(first, 30_000), 0);
    assert.equal(existsSync(join(dataDir, 'livegate.lock')), false, 'released on exit');
  });

  test('a stale lock (its process is gone) is taken over', async () => {
    const dataDir = await tempDir();
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.once('exit', r));
    await writeFile(join(dataDir, 'livegate.lock'), `${dead.pid}\n`);
    const port = await freePort();
    const child = start({ PORT: String(port), DATA_DIR: dataDir, JWT_SECRET: SECRET });
    await waitForHttp(child, `http://127.0.0.1:${port}/healthz`);
    assert.equal((await readFile(join(dataDir, 'livegate.lock'), 'utf8')).trim(), String(child.proc.pid));
  });
});

describe('livegate start: unreachable Redis or PostgreSQL', () => {
  for (const [name, variable, url, shown] of [
    ['Redis', 'REDIS_URL', (port: number) => `redis://app:hunter2-secret@127.0.0.1:${port}`, (port: number) => `redis://app:***@127.0.0.1:${port}`],
    ['PostgreSQL', 'DATABASE_URL', (port: number) => `postgres://app:hunter2-secret@127.0.0.1:${port}/livegate`, (port: number) => `postgres://app:***@127.0.0.1:${port}/livegate`],
  ] as const) {
    test(`${name}: one line naming the masked URL and the cause, exit 1 within 10 s`, async () => {
      const port = await freePort();
      const startedAt = Date.now();
      const child = start({ PORT: String(await freePort()), DATA_DIR: 'memory', JWT_SECRET: SECRET, [variable]: url(port) });
      const code = await exitWithin(child, 30_000);
      const tookMs = Date.now() - startedAt;
      assert.equal(code, 1, child.stderr());
      const escaped = shown(port).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      assertOneLine(child, new RegExp(`^livegate: cannot reach ${name} at ${escaped} \\(ECONNREFUSED\\)`));
      assert.doesNotMatch(child.stdout() + child.stderr(), /hunter2/, 'the password is not printed');
      assert.ok(tookMs < 10_000, `exited after ${tookMs} ms`);
    });
  }
});

describe('Redis client start-up deadline', () => {
  test('createRedisClient gives up on a Redis that never answers with the same one-line StartupError', async () => {
    const { createRedisClient } = await import('../../src/state/redis/redis-client.ts');
    const { StartupError } = await import('../../src/config/index.ts');
    const { createLogger } = await import('../../src/core/logger.ts');
    const port = await freePort();
    const startedAt = Date.now();
    await assert.rejects(
      createRedisClient(`redis://:hunter2@127.0.0.1:${port}`, createLogger('silent', 'test'), { startupTimeoutMs: 300 }),
      (err: Error) => err instanceof StartupError && err.message.startsWith(`cannot reach Redis at redis://:***@127.0.0.1:${port} (ECONNREFUSED)`),
    );
    assert.ok(Date.now() - startedAt < 5000, 'within a few seconds of the deadline');
  });
});
