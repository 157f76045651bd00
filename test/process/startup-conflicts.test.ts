import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { freePort } from '../helpers/ports.ts';
import { waitForHttp } from '../helpers/process.ts';
import { SECRET, assertOneLine, escapeRegExp, exitWithin, start, tempDir, track } from './startup-helpers.ts';

describe('livegate start: port and DATA_DIR already taken', () => {
  test('a port in use: one clear line and exit 1, before the embedded database is opened', async () => {
    const port = await freePort();
    const holder = track(createServer());
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
    assertOneLine(second, new RegExp(`^livegate: DATA_DIR ${escapeRegExp(dataDir)} is in use by another Livegate process \\(pid ${first.proc.pid}\\)`));
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
