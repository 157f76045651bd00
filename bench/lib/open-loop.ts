import { performance } from 'node:perf_hooks';

/**
 * Open-loop sending: message i is due at start + i/rate and carries that
 * intended time, so a stalled sender or server shows up as latency instead
 * of silently sending less (no coordinated omission). Returns how far behind
 * schedule the generator fell at worst (ms): a large lag means the generator,
 * not the server, was the bottleneck.
 */
export async function openLoop(rate: number, durationMs: number, send: (i: number, intendedMs: number) => void): Promise<{ sent: number; maxLagMs: number }> {
  const start = performance.now();
  const total = Math.floor((rate * durationMs) / 1000);
  let i = 0;
  let maxLagMs = 0;
  while (i < total) {
    const now = performance.now();
    const dueIndex = Math.min(total, Math.floor(((now - start) * rate) / 1000) + 1);
    if (i < dueIndex) maxLagMs = Math.max(maxLagMs, now - (start + (i * 1000) / rate));
    for (; i < dueIndex; i++) send(i, start + (i * 1000) / rate);
    await new Promise((r) => setImmediate(r));
  }
  return { sent: total, maxLagMs };
}
