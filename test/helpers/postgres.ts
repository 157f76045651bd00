import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './ports.ts';
import { registerPostgres } from './server-registry.ts';

const execFileAsync = promisify(execFile);

export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:PORT/postgres`, trust authentication. */
  url: string;
  /** Its data directory (also where its socket and postmaster.pid are). */
  dataDir: string;
  /** Stops the server at once (no checkpoint) and deletes its files. Idempotent. */
  stop(): Promise<void>;
}

/** The directory holding `initdb` and `pg_ctl`: the newest /usr/lib/postgresql/<major>/bin, else PATH. */
export function findPostgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  const installed = existsSync(root)
    ? readdirSync(root).filter((major) => existsSync(join(root, major, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a))
    : [];
  if (installed[0]) return join(root, installed[0], 'bin');
  return (process.env.PATH ?? '').split(delimiter).find((dir) => dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
}

/** PostgreSQL refuses to run as root, so as root every server command runs as the `postgres` user. */
function asServerUser(file: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
}

async function runAsServerUser(file: string, args: string[], cwd: string): Promise<void> {
  const [cmd, argv] = asServerUser(file, args);
  try {
    await execFileAsync(cmd, argv, { cwd, timeout: 60_000 });
  } catch (err) {
    const { stderr, stdout } = err as { stderr?: string; stdout?: string };
    throw new Error(`${[cmd, ...argv].join(' ')} failed: ${(stderr || stdout || String(err)).trim()}`, { cause: err });
  }
}

/** Synchronous so it can run from an 'exit' listener. */
function stopNow(pgCtl: string, dir: string): void {
  const [cmd, argv] = asServerUser(pgCtl, ['-D', dir, '-m', 'immediate', '-w', 'stop']);
  try {
    execFileSync(cmd, argv, { cwd: dir, stdio: 'ignore', timeout: 10_000 });
  } catch {
    // Not running (never started, or already stopped): nothing to stop.
  }
  rmSync(dir, { recursive: true, force: true });
}

function missingBinaries(): null {
  const message = 'PostgreSQL binaries not found (looked for /usr/lib/postgresql/*/bin/initdb and initdb on PATH)';
  if (process.env.CI === 'true') throw new Error(`${message}. CI must run the PostgreSQL suites: install postgresql-15.`);
  process.stderr.write(`\n${'!'.repeat(78)}\n!!! ${message}.\n!!! SKIPPING every PostgreSQL test. Install postgresql-15 to run them.\n${'!'.repeat(78)}\n\n`);
  return null;
}

/**
 * Starts a throwaway PostgreSQL cluster on a free 127.0.0.1 port, durability
 * off for speed. Resolves null (after a loud warning) when PostgreSQL is not
 * installed so callers can skip; under CI=true that is an error instead.
 * The server is stopped however the test process ends, even if `stop()` is
 * never called (see server-registry.ts).
 */
export async function startPostgres(): Promise<PostgresServer | null> {
  const bin = findPostgresBin();
  if (!bin) return missingBinaries();
  const pgCtl = join(bin, 'pg_ctl');
  const dir = await mkdtemp(join(tmpdir(), 'livegate-pg-'));
  let stopped = false;
  // Listed before the server exists, so a test process that dies during the start still has it stopped.
  const registration = registerPostgres(dir, () => stopNow(pgCtl, dir));

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await runAsServerUser(pgCtl, ['-D', dir, '-m', 'immediate', '-w', 'stop'], dir).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    registration.release();
  };

  try {
    if (process.getuid?.() === 0) await execFileAsync('chown', ['postgres:', dir]);
    await runAsServerUser(join(bin, 'initdb'), ['-D', dir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync'], dir);
    const port = await startOnFreePort(pgCtl, dir);
    return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, dataDir: dir, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** `freePort()` can race with other processes, so a failed start is retried on a new port. */
async function startOnFreePort(pgCtl: string, dir: string, attempts = 3): Promise<number> {
  const log = join(dir, 'server.log');
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const options = `-p ${port} -k '${dir}' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    try {
      // -l: without a log file the postmaster would inherit pg_ctl's stdout and keep the pipe open.
      await runAsServerUser(pgCtl, ['-w', '-t', '30', '-D', dir, '-l', log, '-o', options, 'start'], dir);
      return port;
    } catch (err) {
      if (attempt >= attempts) {
        const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-15).join('\n') : '(no server log)';
        throw new Error(`PostgreSQL did not start after ${attempts} attempts:\n${tail}`, { cause: err });
      }
    }
  }
}
