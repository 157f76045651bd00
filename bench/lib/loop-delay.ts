/**
 * The event loop's delay in a server under load, read from its own
 * Prometheus metrics (prom-client's `nodejs_eventloop_lag_*`, from
 * perf_hooks.monitorEventLoopDelay). prom-client resets the histogram on
 * every scrape, so `startLoopDelayWindow()` before the load and `end()`
 * after it give the delays of that window alone. Livegate's /metrics answers
 * loopback scrapes without a token.
 */

/** Livegate samples every 20 ms (src/observability/metrics.ts): a recorded delay is 20 ms plus the stall. */
const SAMPLING_MS = 20;

export interface LoopDelay {
  /** 99th percentile of how late the loop ran a 20 ms timer, in ms (0 = never late). */
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

async function scrape(url: string): Promise<Map<string, number>> {
  const res = await fetch(`${url}/metrics`);
  if (!res.ok) throw new Error(`GET /metrics: ${res.status}`);
  const values = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    const m = /^(nodejs_eventloop_lag_\w+_seconds) ([\d.e+-]+)/.exec(line);
    if (m) values.set(m[1]!, Number(m[2]));
  }
  return values;
}

const late = (seconds: number | undefined) => Math.max(0, Math.round(((seconds ?? 0) * 1000 - SAMPLING_MS) * 100) / 100);

/** Starts a measurement window on the server at `url`; `end()` returns the loop delay since. */
export async function startLoopDelayWindow(url: string): Promise<{ end(): Promise<LoopDelay> }> {
  await scrape(url);
  return {
    async end() {
      const v = await scrape(url);
      return { p99Ms: late(v.get('nodejs_eventloop_lag_p99_seconds')), maxMs: late(v.get('nodejs_eventloop_lag_max_seconds')), meanMs: late(v.get('nodejs_eventloop_lag_mean_seconds')) };
    },
  };
}
