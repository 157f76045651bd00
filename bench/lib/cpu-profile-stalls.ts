/**
 * Where the event loop stalled: the stretches of a V8 `.cpuprofile` (from
 * `node --cpu-prof`, e.g. a scenario's `--profile DIR`) in which the thread
 * never went idle for at least MIN_MS, longest first, each with the
 * functions that took its time and the frames it entered JavaScript through.
 *   node --import tsx bench/lib/cpu-profile-stalls.ts FILE.cpuprofile [MIN_MS=30] [N=12] [FROM_S:TO_S]
 * (FROM_S:TO_S: only stretches that start in that span of the profile, e.g.
 * the measurement window rather than start-up and shutdown).
 * A busy stretch is not always one task (several callbacks can follow each
 * other without an idle sample between them), but it is time in which no
 * other event of this thread was handled: what a latency percentile sees.
 */
import { readFileSync } from 'node:fs';
import { frameLabel as label, type CallFrame, type Profile } from './cpu-profile-top.ts';

export function stalls(file: string, minMs = 30) {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const idle = (id: number) => ['(idle)', '(program)'].includes(byId.get(id)!.callFrame.functionName);
  /** The outermost named JavaScript frame with a source file (a module body resuming an await is skipped): the callback the loop ran. */
  const entry = (id: number) => {
    let outer: CallFrame | undefined;
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)!.callFrame;
      if (f.url && !f.url.startsWith('node:') && f.functionName) outer = f;
    }
    return outer ? label(outer) : '(no JavaScript frame)';
  };
  const found: Array<{ atMs: number; ms: number; self: Map<string, number>; entries: Map<string, number> }> = [];
  let t = p.startTime;
  let run: (typeof found)[number] | null = null;
  for (let i = 0; i < p.samples.length; i++) {
    const dt = p.timeDeltas[i]! / 1000;
    t += p.timeDeltas[i]!;
    const id = p.samples[i]!;
    if (idle(id)) {
      if (run && run.ms >= minMs) found.push(run);
      run = null;
      continue;
    }
    run ??= { atMs: (t - p.startTime) / 1000, ms: 0, self: new Map(), entries: new Map() };
    run.ms += dt;
    const fn = label(byId.get(id)!.callFrame);
    run.self.set(fn, (run.self.get(fn) ?? 0) + dt);
    const e = entry(id);
    run.entries.set(e, (run.entries.get(e) ?? 0) + dt);
  }
  if (run && run.ms >= minMs) found.push(run);
  return found.sort((a, b) => b.ms - a.ms);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const [file, minMs = '30', n = '12', span] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: node --import tsx bench/lib/cpu-profile-stalls.ts FILE.cpuprofile [MIN_MS] [N] [FROM_S:TO_S]\n');
    process.exit(2);
  }
  const [fromS, toS] = span ? span.split(':').map(Number) : [0, Infinity];
  const all = stalls(file, Number(minMs)).filter((r) => r.atMs >= fromS! * 1000 && r.atMs <= toS! * 1000);
  const top = (m: Map<string, number>, k: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([f, ms]) => `      ${ms.toFixed(1).padStart(7)} ms  ${f}`);
  process.stdout.write(`${all.length} busy stretches of ≥ ${minMs} ms, ${all.reduce((s, r) => s + r.ms, 0).toFixed(0)} ms in all\n`);
  for (const r of all.slice(0, Number(n))) {
    process.stdout.write(`\n  ${r.ms.toFixed(1)} ms at ${(r.atMs / 1000).toFixed(2)} s\n    entered through:\n${top(r.entries, 4).join('\n')}\n    self time:\n${top(r.self, 6).join('\n')}\n`);
  }
}
