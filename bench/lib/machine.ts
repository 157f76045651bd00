/** What a benchmark ran on, recorded next to every result. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';

export interface FdLimit { soft: number | null; hard: number | null }

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memGiB: number;
  kernel: string;
  node: string;
  socketio: string | null;
  livegate: string | null;
  /** `git describe`-style commit of the tree that ran, with `-dirty` when it had local changes. */
  commit: string | null;
  loadavg: number[];
  fdLimit: FdLimit;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The open-files limit of this process, from /proc/self/limits (null where unreadable or unlimited). */
export function fdLimit(): FdLimit {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const [soft, hard] = (line ?? '').replace('Max open files', '').trim().split(/\s+/);
    const num = (s: string | undefined) => (s && /^\d+$/.test(s) ? Number(s) : null);
    return { soft: num(soft), hard: num(hard) };
  } catch {
    return { soft: null, hard: null };
  }
}

function packageVersion(root: string, path: string): string | null {
  try {
    return (JSON.parse(readFileSync(join(root, path), 'utf8')) as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}

function gitCommit(root: string): string | null {
  try {
    return execFileSync('git', ['describe', '--always', '--dirty'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5_000 }).trim() || null;
  } catch {
    return null;
  }
}

/** Describes this machine; `root` is the package root (for versions and the commit). */
export function machineInfo(root: string): MachineInfo {
  const cpu = cpus();
  return {
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memGiB: round2(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    socketio: packageVersion(root, 'node_modules/socket.io/package.json'),
    livegate: packageVersion(root, 'package.json'),
    commit: gitCommit(root),
    loadavg: loadavg().map(round2),
    fdLimit: fdLimit(),
  };
}
