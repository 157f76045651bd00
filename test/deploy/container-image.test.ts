import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { eventually } from '../helpers/eventually.ts';
import { freePort } from '../helpers/ports.ts';
import { registerProcess } from '../helpers/server-registry.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The paths the Dockerfile's final stage copies from the build context. */
function runtimeCopies(dockerfile: string): string[] {
  const stages = dockerfile.split(/^FROM /m);
  const last = stages[stages.length - 1]!;
  return [...last.matchAll(/^COPY (?!--from)(.+)$/gm)].flatMap((m) => {
    const parts = m[1]!.trim().split(/\s+/);
    return parts.slice(0, -1);
  });
}

/**
 * What the image holds, assembled from the Dockerfile's own COPY lines: if a
 * page or asset the server reads at run time lives outside them, the image
 * would start without it — this catches that without a Docker engine.
 */
describe('container image contents', { timeout: 90_000 }, () => {
  let dir = '';
  let stop = async () => {};
  let base = '';

  before(async () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    dir = mkdtempSync(join(tmpdir(), 'livegate-image-'));
    for (const path of runtimeCopies(dockerfile)) cpSync(join(ROOT, path), join(dir, path), { recursive: true });
    // The deps stage's node_modules (production dependencies; verified separately with `npm ci --omit=dev`).
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    const port = await freePort();
    const proc = spawn(process.execPath, ['bin/livegate.js', 'start'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), PORT: String(port), HOST: '127.0.0.1', DATA_DIR: 'memory', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    registerProcess(proc);
    let stderr = '';
    proc.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise((r) => proc.once('close', r));
    stop = async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await exited;
    };
    base = `http://127.0.0.1:${port}`;
    await eventually(async () => {
      assert.equal(proc.exitCode, null, `exited early: ${stderr}`);
      const res = await fetch(`${base}/readyz`);
      assert.equal(res.status, 200);
    }, 60_000, 200);
  });

  after(async () => {
    await stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const path of ['/readyz', '/openapi.json', '/asyncapi.json', '/docs', '/dashboard']) {
    it(`serves ${path}`, async () => {
      const res = await fetch(base + path);
      assert.equal(res.status, 200, `${path} → ${res.status}`);
    });
  }
});
