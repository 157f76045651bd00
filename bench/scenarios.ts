/**
 * The benchmark suite's registry: which scenarios `npm run bench` runs, in
 * this order, with which arguments. Each script runs as its own child process
 * and ends with one `BENCH_RESULT <json>` line (bench/lib/result.ts).
 */
export interface ScenarioSpec {
  name: string;
  /** Script path relative to the package root. */
  script: string;
  /** One line for `--list` and `--help`. */
  description: string;
  args: { quick: string[]; full: string[] };
  /** Rough wall time in seconds, for progress and the runner's timeout. */
  estimateS: { quick: number; full: number };
  /** Run only when named (not part of the default suite). */
  optional?: boolean;
}

export const SCENARIOS: readonly ScenarioSpec[] = [
  {
    name: 'idle', script: 'bench/scenarios/idle.ts',
    description: 'idle authenticated connections: RSS + kernel memory per connection (goal ≥ 80k/GB at 18,000)',
    args: { quick: ['--quick'], full: [] }, estimateS: { quick: 35, full: 200 },
  },
  {
    name: 'idle-rss', script: 'bench/scenarios/idle-rss.ts',
    description: 'idle RSS of `livegate start` (PGlite, fresh DATA_DIR, no connections) beside bare Socket.IO (goal ≤ 150 MiB)',
    args: { quick: ['--quick'], full: [] }, estimateS: { quick: 40, full: 60 },
  },
  {
    name: 'fanout', script: 'bench/scenarios/fanout.ts',
    description: 'fan-out frames/s per server core at 1,000 subscribers (goal ≥ 100k)',
    args: { quick: ['--quick'], full: [] }, estimateS: { quick: 60, full: 240 },
  },
  {
    name: 'location-throughput', script: 'bench/scenarios/location-throughput.ts',
    description: 'location updates delivered/s per core with per-socket coalescing (goal ≥ 300k)',
    args: { quick: ['--quick'], full: [] }, estimateS: { quick: 50, full: 240 },
  },
  {
    name: 'relay', script: 'bench/location-relay.ts',
    description: 'end-to-end location relay latency at 30,000 deliveries/s (goal p99 ≤ 20 ms, p99.9 ≤ 50 ms, 0 loss)',
    args: { quick: ['--quick'], full: [] }, estimateS: { quick: 150, full: 480 },
  },
  {
    name: 'dashboard', script: 'bench/scenarios/dashboard.ts',
    description: 'dashboard feed: updates/s per core, 10 dashboards × 10,000 vehicles at 1 fix/s, coalesced vs bare Socket.IO (goal ≥ 300k, ≥ 10× bare)',
    args: { quick: ['--quick'], full: [] }, estimateS: { quick: 45, full: 90 },
  },
  {
    name: 'nearby', script: 'bench/nearby.ts',
    description: 'nearby search at 100,000 drivers: grid vs linear scan vs Redis GEOSEARCH (goal p99 ≤ 60 µs)',
    args: { quick: ['--quick'], full: [] }, estimateS: { quick: 15, full: 60 },
  },
  {
    name: 'dispatch', script: 'bench/dispatch.ts',
    description: 'trip_request → first-wave offers at 10,000 drivers, PGlite and PostgreSQL (goal p99 ≤ 50 ms)',
    args: { quick: ['--quick'], full: [] }, estimateS: { quick: 35, full: 120 },
  },
  {
    name: 'cross-node', script: 'bench/cross-node.ts',
    description: 'cross-node emits through Redis (goal ≥ 20k/s at p99 ≤ 50 ms)',
    args: { quick: ['--quick'], full: [] }, estimateS: { quick: 90, full: 220 },
  },
  {
    name: 'durable-append', script: 'bench/scenarios/durable-append.ts', optional: true,
    description: 'durable stream append: POST /api/publish → client p99 at 5,000 events/s on PostgreSQL, vs STREAM_RETENTION_H=0 (goal ≤ 20 ms)',
    args: { quick: ['--quick'], full: [] }, estimateS: { quick: 60, full: 120 },
  },
  {
    name: 'payments', script: 'bench/payments.ts', optional: true,
    description: 'wallet credit and trip payment latency, exactly-once under racing requests (PGlite, in process)',
    args: { quick: ['--quick'], full: [] }, estimateS: { quick: 15, full: 40 },
  },
  {
    name: 'chat', script: 'bench/scenarios/chat.ts', optional: true,
    description: 'chat: 1,000-member room at 200 messages/s (delivery p99, CPU per delivery vs bare Socket.IO); room:join and room:history p99 over 1M stored messages',
    args: { quick: ['--quick'], full: [] }, estimateS: { quick: 120, full: 300 },
  },
  {
    name: 'publish', script: 'bench/scenarios/publish.ts', optional: true,
    description: 'POST /api/publish (single and batched) to 10,000 sockets in one event room: deliveries/s, per core and end-to-end p99 vs bare Socket.IO io.to(room).emit (goals ≥ 0.8× bare, batch ≥ 50k deliveries/s/core)',
    args: { quick: ['--quick'], full: [] }, estimateS: { quick: 120, full: 300 },
  },
  {
    name: 'ws-idle', script: 'bench/scenarios/ws-idle.ts', optional: true,
    description: 'idle connections per GB on /ws and SSE vs a raw ws server, same run (goal /ws ≥ 0.8× raw ws)',
    args: { quick: ['--quick'], full: [] }, estimateS: { quick: 90, full: 240 },
  },
  {
    name: 'ws-intake', script: 'bench/scenarios/ws-intake.ts', optional: true,
    description: 'location fixes absorbed per server core on /ws vs Socket.IO, same run (goal ≥ 2×)',
    args: { quick: ['--quick'], full: [] }, estimateS: { quick: 90, full: 180 },
  },
  {
    name: 'notifications', script: 'bench/notifications.ts', optional: true,
    description: 'notification delivery latency, bulk fan-out and push-relay throughput',
    args: { quick: ['--quick'], full: [] }, estimateS: { quick: 30, full: 90 },
  },
];

/** A script outside the registry (tests, ad hoc runs): named after its file, run with `--quick` in quick mode. */
export function adHocScenario(script: string): ScenarioSpec {
  const name = script.replace(/^.*\//, '').replace(/\.[cm]?[jt]s$/, '');
  return { name, script, description: `ad hoc: ${script}`, args: { quick: ['--quick'], full: [] }, estimateS: { quick: 30, full: 120 } };
}
