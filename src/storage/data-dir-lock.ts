import { readFileSync, unlinkSync } from 'node:fs';
import { link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const LOCK_FILE = 'livegate.lock';

export interface DataDirLock {
  /** Removes the lock file if it is still ours. Synchronous, so it also runs on `exit`. */
  release(): void;
}

const errorCode = (err: unknown) => (err as { code?: string } | null)?.code;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return errorCode(err) === 'EPERM';
  }
}

async function readPid(path: string): Promise<number | undefined> {
  const pid = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Another live process holds the directory. */
export class DataDirInUseError extends Error {
  constructor(readonly dataDir: string, readonly pid: number) {
    super(`DATA_DIR ${dataDir} is in use by another Livegate process (pid ${pid})`);
    this.name = 'DataDirInUseError';
  }
}

const inUse = (dataDir: string, pid: number) => new DataDirInUseError(dataDir, pid);

/**
 * PGlite is one process's database: two processes opening the same
 * directory corrupt it. The lock is `DATA_DIR/livegate.lock` holding the
 * owner's pid. It appears atomically and complete (written aside, then
 * hard-linked into place, which fails if it exists), so a reader never sees
 * an empty lock. A lock whose pid is dead was left by a crash and is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  const draft = `${path}.${process.pid}`;
  await writeFile(draft, `${process.pid}\n`);
  try {
    for (;;) {
      try {
        await link(draft, path);
        break;
      } catch (err) {
        if (errorCode(err) !== 'EEXIST') throw err;
      }
      const holder = await readPid(path);
      if (holder !== undefined && isAlive(holder)) throw inUse(dataDir, holder);
      // Stale. Moved aside rather than deleted: if another process took it over
      // since we read it, what we moved is that process's live lock, and goes back.
      const aside = `${path}.stale.${process.pid}`;
      try {
        await rename(path, aside);
      } catch (err) {
        if (errorCode(err) === 'ENOENT') continue;
        throw err;
      }
      const moved = await readPid(aside);
      if (moved !== undefined && moved !== holder && isAlive(moved)) {
        await link(aside, path).catch(() => undefined);
        await rm(aside, { force: true });
        throw inUse(dataDir, moved);
      }
      await rm(aside, { force: true });
    }
  } finally {
    await rm(draft, { force: true });
  }

  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    try {
      if (Number.parseInt(readFileSync(path, 'utf8'), 10) === process.pid) unlinkSync(path);
    } catch {
      // Already gone: nothing to release.
    }
  };
  // A process that ends without closing the database (a fatal error, process.exit) still frees the directory.
  process.on('exit', release);
  return { release };
}
