import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

/** Latencies in microseconds in an HDR histogram (perf_hooks). */
export class LatencyHistogram {
  private readonly h: RecordableHistogram = createHistogram({ lowest: 1, highest: 60_000_000, figures: 3 });

  recordMs(ms: number): void {
    this.h.record(Math.max(1, Math.round(ms * 1000)));
  }

  get count(): number {
    return this.h.count;
  }

  /** Percentile in milliseconds. */
  pMs(p: number): number {
    return this.h.count ? this.h.percentile(p) / 1000 : NaN;
  }

  summary(): { p50: number; p99: number; p999: number; max: number } {
    const r = (n: number) => Math.round(n * 100) / 100;
    return { p50: r(this.pMs(50)), p99: r(this.pMs(99)), p999: r(this.pMs(99.9)), max: r(this.h.count ? this.h.max / 1000 : NaN) };
  }
}
