/**
 * Top self-time functions of a V8 `.cpuprofile` (from `node --cpu-prof`).
 *   node --import tsx bench/lib/cpu-profile-top.ts FILE.cpuprofile [N] [BUSIEST_WINDOW_S | FROM_US:TO_US]
 * Also sums self time by package (node_modules/<name>) and by source folder,
 * to say where a scenario's server time goes.
 */
import { readFileSync } from 'node:fs';

export interface CallFrame { functionName: string; url: string; lineNumber: number }
export interface ProfileNode { id: number; callFrame: CallFrame; hitCount?: number; children?: number[] }
export interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

/** `name file:line`, the file relative to node_modules, src or bench. */
export function frameLabel({ functionName, url, lineNumber }: CallFrame): string {
  return `${functionName || '(anonymous)'} ${url.replace(/^file:\/\/.*?\/(node_modules|src|bench)\//, '$1/')}:${lineNumber + 1}`;
}

/**
 * `busiestS`: only the samples of the busiest window of that many seconds
 * (the measured step, not start-up and set-up); idle time is left out of the
 * percentages, so they are shares of the CPU time the server used.
 */
export function topSelf(file: string, n = 25, busiestS = 0, window?: { fromUs: number; toUs: number }) {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((x) => [x.id, x]));
  const idleIds = new Set(p.nodes.filter((x) => x.callFrame.functionName === '(idle)').map((x) => x.id));
  const times: number[] = [];
  let t = p.startTime;
  for (const d of p.timeDeltas) times.push((t += d));
  let from = 0;
  let to = p.samples.length;
  if (busiestS > 0) {
    const span = busiestS * 1e6;
    let best = -1;
    let busy = 0;
    for (let i = 0, j = 0; j < p.samples.length; j++) {
      if (!idleIds.has(p.samples[j]!)) busy += p.timeDeltas[j] ?? 0;
      while (times[j]! - times[i]! > span) {
        if (!idleIds.has(p.samples[i]!)) busy -= p.timeDeltas[i] ?? 0;
        i++;
      }
      if (busy > best) [best, from, to] = [busy, i, j + 1];
    }
  }
  if (window) {
    from = times.findIndex((x) => x >= window.fromUs);
    to = times.findIndex((x) => x > window.toUs);
    if (from < 0) from = times.length;
    if (to < 0) to = times.length;
  }
  const self = new Map<number, number>();
  for (let i = from; i < to; i++) {
    const id = p.samples[i]!;
    if (!idleIds.has(id)) self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const windowS = ((times[to - 1] ?? 0) - (times[from] ?? 0)) / 1e6;
  const fn = new Map<string, number>();
  const area = new Map<string, number>();
  for (const [id, us] of self) {
    const { functionName, url } = byId.get(id)!.callFrame;
    const key = frameLabel(byId.get(id)!.callFrame);
    fn.set(key, (fn.get(key) ?? 0) + us);
    const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (/\/src\/([^/]+\/[^/]+)/.exec(url)?.[1])
      ?? (url.startsWith('wasm://') ? 'wasm (PGlite)' : url.startsWith('node:') ? 'node core' : url ? 'other' : functionName || '(vm)');
    area.set(pkg, (area.get(pkg) ?? 0) + us);
  }
  const pct = (us: number) => Math.round((us / total) * 1000) / 10;
  const top = [...fn].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, us]) => ({ selfPct: pct(us), name }));
  const areas = [...area].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([name, us]) => ({ selfPct: pct(us), area: name }));
  return { busyS: total / 1e6, windowS, top, areas };
}

if (process.argv[1]?.endsWith('cpu-profile-top.ts')) {
  // A window "FROM_US:TO_US" (CLOCK_MONOTONIC µs, as the scenarios print with --profile) or a busiest-window length in seconds.
  const w = process.argv[4] ?? '0';
  const [fromUs, toUs] = w.split(':').map(Number);
  const r = topSelf(process.argv[2]!, Number(process.argv[3] ?? 25), w.includes(':') ? 0 : Number(w), w.includes(':') ? { fromUs: fromUs!, toUs: toUs! } : undefined);
  console.log(`busy ${r.busyS.toFixed(1)} s of a ${r.windowS.toFixed(1)} s window (shares below are of the busy time)`);
  console.table(r.top);
  console.table(r.areas);
}
