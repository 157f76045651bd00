import { readFileSync } from 'node:fs';

/** Resident set size of a process in bytes, from /proc. */
export function rssOf(pid: number): number {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return m ? Number(m[1]) * 1024 : 0;
}

/** Kernel socket memory of the whole machine in bytes (TCP pages in use, from /proc/net/sockstat). */
export function kernelSocketBytes(): number {
  const m = readFileSync('/proc/net/sockstat', 'utf8').match(/TCP: .* mem (\d+)/);
  return m ? Number(m[1]) * 4096 : 0;
}

/** User+system CPU seconds of a process (from /proc/PID/stat). */
export function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * The RSS of `pid` once three readings `everyMs` apart agree within 0.5 %
 * (start-up garbage and returned buffers have settled), or the last reading
 * after `maxReadings`.
 */
export async function settledRss(pid: number, opts: { everyMs?: number; maxReadings?: number } = {}): Promise<number> {
  const { everyMs = 500, maxReadings = 40 } = opts;
  let last = rssOf(pid);
  for (let stable = 0, i = 0; stable < 3 && i < maxReadings; i++) {
    await new Promise((r) => setTimeout(r, everyMs));
    const now = rssOf(pid);
    stable = Math.abs(now - last) < last * 0.005 ? stable + 1 : 0;
    last = now;
  }
  return last;
}
