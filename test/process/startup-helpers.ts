import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { runCli, type CliProcess } from '../helpers/process.ts';

/** Shared by the `livegate start` process tests: every process, directory and server they make is cleaned up after the file. */
export const SECRET = 'startup-test-secret-that-is-long-enough-0123';

const children: CliProcess[] = [];
const dirs: string[] = [];
const servers: Server[] = [];
after(async () => {
  await Promise.all(children.map((c) => c.kill()));
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** `livegate <args>` with exactly `env` (plus PATH and HOME), killed after the file. */
export function cli(args: string[], env: Record<string, string>): CliProcess {
  const child = runCli(args, env);
  children.push(child);
  return child;
}

/** `livegate start` on 127.0.0.1, logging at warn. */
export function start(env: Record<string, string>): CliProcess {
  return cli(['start'], { HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env });
}

/** A server closed after the file. */
export function track(server: Server): Server {
  servers.push(server);
  return server;
}

export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'livegate-startup-'));
  dirs.push(dir);
  return dir;
}

/** Waits for the process to exit, failing (and killing it) after `ms`. */
export async function exitWithin(child: CliProcess, ms: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([child.exited, new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), ms)))]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    await child.kill();
    assert.fail(`still running after ${ms} ms\nstdout: ${child.stdout()}\nstderr: ${child.stderr()}`);
  }
  return outcome.code;
}

/** The failure is one line on stderr, with no stack trace anywhere. */
export function assertOneLine(child: CliProcess, pattern: RegExp): void {
  const lines = child.stderr().trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${child.stderr()}`);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(child.stderr() + child.stdout(), /\n\s+at /, 'no stack trace');
}

export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
