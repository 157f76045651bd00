import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { eventually, within } from './eventually.ts';

const FIXTURE = fileURLToPath(new URL('./cleanup-fixture.ts', import.meta.url));

interface Started { missing?: true; dataDir: string; postmaster: number; redisPid: number }

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs the fixture (a test process starting PostgreSQL and Redis through the helpers) until it has reported what it started. */
async function startTestProcess(how: 'exit' | 'throw' | 'signal') {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, how], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  const started = await within(
    new Promise<Started>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!) as Started);
      });
      void exited.then(() => reject(new Error(`fixture exited before starting its servers\nstderr: ${err}`)));
    }),
    60_000,
    'the fixture to start PostgreSQL and Redis',
  );
  return { child, started, exited };
}

async function assertNothingLeft(started: Started): Promise<void> {
  await eventually(() => {
    assert.equal(alive(started.redisPid), false, `redis-server ${started.redisPid} still runs`);
    assert.equal(alive(started.postmaster), false, `postgres ${started.postmaster} (${started.dataDir}) still runs`);
    assert.equal(existsSync(started.dataDir), false, `${started.dataDir} still exists`);
  }, 15_000, 100);
}

describe('servers started by the test helpers do not outlive the test process', () => {
  for (const how of ['exit', 'throw'] as const) {
    test(`when it ends with ${how === 'exit' ? 'process.exit(1)' : 'an uncaught throw'}`, async (t) => {
      const { started, exited } = await startTestProcess(how);
      if (started.missing) return t.skip('PostgreSQL or redis-server missing');
      assert.equal((await within(exited, 30_000, 'the fixture to exit')).code, 1);
      await assertNothingLeft(started);
    });
  }

  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    test(`when it is killed with ${signal}${signal === 'SIGTERM' ? ' (what the runner does to a file that timed out)' : ''}`, async (t) => {
      const { child, started, exited } = await startTestProcess('signal');
      if (started.missing) return t.skip('PostgreSQL or redis-server missing');
      assert.ok(alive(started.redisPid) && alive(started.postmaster), 'both servers run before the kill');
      child.kill(signal);
      assert.equal((await within(exited, 30_000, 'the fixture to die')).signal, signal);
      await assertNothingLeft(started);
    });
  }
});
