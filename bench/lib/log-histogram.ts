/**
 * A mergeable log-linear histogram of microseconds (HDR layout, 3 significant
 * digits: 1,024 linear sub-buckets per power of two), so load-generator
 * processes can ship their latencies to the scenario as plain arrays. The
 * scenario replays the merged counts into bench/lib/histogram.ts's HDR
 * histogram (perf_hooks) for percentiles.
 */
import { LatencyHistogram } from './histogram.ts';

const SUB = 1024;
const LINEAR = 2 * SUB;
/** Up to 2^36 µs (≈ 19 hours). */
const SIZE = LINEAR + 26 * SUB;

function indexOf(us: number): number {
  const v = Math.max(0, Math.floor(us));
  if (v < LINEAR) return v;
  const e = Math.floor(Math.log2(v)) - 10; // v >> e lies in [1024, 2048)
  return Math.min(SIZE - 1, LINEAR + (e - 1) * SUB + ((v >>> 0) / 2 ** e - SUB) | 0);
}

function valueAt(i: number): number {
  if (i < LINEAR) return i;
  const e = Math.floor((i - LINEAR) / SUB) + 1;
  return (SUB + ((i - LINEAR) % SUB) + 0.5) * 2 ** e;
}

export class LogHistogram {
  counts = new Uint32Array(SIZE);

  recordMs(ms: number): void {
    this.counts[indexOf(ms * 1000)]!++;
  }

  reset(): void {
    this.counts.fill(0);
  }

  /** Sparse form for IPC: [index, count, index, count, …]. */
  toSparse(): number[] {
    const out: number[] = [];
    for (let i = 0; i < SIZE; i++) if (this.counts[i]) out.push(i, this.counts[i]!);
    return out;
  }

  /** Replays sparse counts (from any number of processes) into one HDR histogram. */
  static toLatency(sparseLists: number[][]): LatencyHistogram {
    const h = new LatencyHistogram();
    for (const list of sparseLists) {
      for (let k = 0; k < list.length; k += 2) {
        const ms = valueAt(list[k]!) / 1000;
        for (let n = list[k + 1]!; n > 0; n--) h.recordMs(ms);
      }
    }
    return h;
  }
}
